import Dispatch
import LineEditor
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// SIGTERM, SIGHUP and a broken output pipe, the same way for every command that runs
/// programs and the REPL: cancel the run so every exit runs, quit at once if the run has
/// not ended 5 s later or a second such signal comes, and remember which signal it was
/// (the exit status is 128 + it).
public final class StopSignal: Sendable {
  private let received: Mutex<Int32?>

  /// - Parameter also: what else a stop signal does (the REPL closes its line reader).
  public init(controller: RunController, also: @escaping @Sendable () -> Void = {}) {
    received = Mutex(nil)
    let stop = { @Sendable [self] (signal: Int32) in
      let earlier = received.withLock { current in
        defer { current = current ?? signal }
        return current
      }
      if earlier != nil {
        LastResort.quitNow(status: 128 + signal, reason: "second stop signal")
      }
      // First what else it does (the REPL closes its reader): a run cancelled before that
      // could end, and the next command be read, in between.
      also()
      let name = RunOutcome.signalNumbers.first { $0.value == signal }?.key ?? "SIG\(signal)"
      controller.terminate(signal: name)
      LastResort.quitAfter(seconds: 5, status: 128 + signal, reason: "the run did not stop")
    }
    Signals.shared.catchStops([SIGTERM, SIGHUP], handler: stop)
    // Output nobody reads any more: stop as for SIGPIPE, but with every exit run.
    Signals.ignore(SIGPIPE)
    // Not on the writing thread: the write may be the trace's own, inside the tracer's
    // lock, and stopping traces an interrupt.
    StandardOutput.onBrokenPipe { DispatchQueue.global().async { stop(SIGPIPE) } }
  }

  /// The stop signal received, if any.
  public var signal: Int32? { received.withLock { $0 } }

  /// Stops acting on stop signals (they are still caught, and dropped).
  public func stop() {
    Signals.shared.ignoreStops()
  }
}

extension RunController {
  /// A controller whose third Ctrl-C during one run quits scopelab at once (after
  /// `before`: compare kills its Python first).
  public static func quittingOnThirdPress(before: @escaping @Sendable () -> Void = {})
    -> RunController
  {
    RunController(forceQuit: {
      before()
      LastResort.quitNow(status: 130, reason: "third Ctrl-C")
    })
  }
}
