import Glibc
import PosixThread
import Synchronization

/// The write end of the wake pipe of the prompt now reading a line, or -1.
let activePromptWakeFD = Atomic<CInt>(-1)
/// The write end of the pipe that wakes the signal dispatcher, or -1.
let dispatcherWakeFD = Atomic<CInt>(-1)
/// Which stop handler a stop signal is for: changed whenever the handler is, so a signal
/// that arrived before ``Signals/ignoreStops()`` never reaches a handler set after it.
let stopHandlerGeneration = Atomic<UInt8>(0)
/// Ctrl-C presses that arrived while no prompt was reading.
let interruptsOutsidePrompt = Atomic<Int>(0)
/// The crash clean-up (a `@convention(c)` function's address), or 0.
let crashCleanUp = Atomic<UInt>(0)

/// The handler of every caught signal but the fatal ones: a Ctrl-C during a prompt
/// wakes that prompt (which clears its line); any other signal's number goes to the
/// dispatcher, with the stop handler's generation (two bytes, one write). Only atomics
/// and `write(2)`, which are async-signal-safe.
private func handleSignal(_ signal: CInt) {
  if signal == SIGINT {
    let prompt = activePromptWakeFD.load(ordering: .acquiring)
    if prompt >= 0 {
      Syscall.signalSafeWrite(prompt, WakePipe.Reason.interrupt.rawValue)
      return
    }
    interruptsOutsidePrompt.add(1, ordering: .relaxed)
  }
  let dispatcher = dispatcherWakeFD.load(ordering: .acquiring)
  if dispatcher >= 0 {
    let generation = stopHandlerGeneration.load(ordering: .acquiring)
    Syscall.signalSafeWrite(dispatcher, UInt8(truncatingIfNeeded: signal), generation)
  }
}

/// The handler of the fatal signals: the clean-up, then death by the signal, as if
/// nothing had been installed (`SA_RESETHAND` put the default action back).
private func handleFatalSignal(_ signal: CInt) {
  let address = crashCleanUp.load(ordering: .acquiring)
  if address != 0 { unsafeBitCast(address, to: (@convention(c) () -> Void).self)() }
  Syscall.raise(signal)
}

/// The process's signals, caught one way: a handler that only writes the signal's number
/// to a pipe, and one thread that reads it and delivers the signal as an ordinary call.
///
/// - Ctrl-C (SIGINT), once ``catchInterrupts()`` ran, no longer ends the process. A
///   Ctrl-C that arrives while an ``EditLineReader`` is reading a line clears that line
///   (its `readLine` returns ``LineInput/interrupted``); every other Ctrl-C is delivered
///   to each stream from ``interrupts()`` - that is how an app cancels a run:
///
///   ```swift
///   let interrupts = Signals.shared.interrupts()
///   let run = Task { try await program.run() }
///   for await _ in interrupts { run.cancel() /* a second one: escalate */ }
///   ```
///
///   ``EditLineReader`` catches Ctrl-C itself; an app that reads a pipe and still wants
///   Ctrl-C to cancel runs calls ``catchInterrupts()``.
/// - Stop signals (SIGTERM, SIGHUP), once ``catchStops(_:handler:)`` ran, call its handler
///   on the dispatcher thread, so an app can cancel its work and let every exit run.
/// - Fatal signals (SIGSEGV, SIGABRT, ...) cannot wait for a thread: ``onCrash(_:)`` runs
///   an async-signal-safe clean-up in the handler itself, then the process dies of them.
public final class Signals: Sendable {
  /// The process's one instance.
  public static let shared = Signals()

  private struct State {
    var dispatching = false
    var caught: Set<CInt> = []
    var nextID = 0
    var subscribers: [Int: AsyncStream<Void>.Continuation] = [:]
    var stopHandler: (@Sendable (CInt) -> Void)?
  }

  private let state = Mutex(State())

  private init() {}

  /// Catches SIGINT (with `SA_RESTART`, so other threads' system calls are not disturbed).
  /// Idempotent. Returns false if the handler could not be installed.
  @discardableResult
  public func catchInterrupts() -> Bool {
    install([SIGINT])
  }

  /// Catches `signals` (SIGTERM, SIGHUP) and calls `handler` with each one that arrives,
  /// on the dispatcher thread, one at a time; a later call replaces the handler.
  /// Returns false if the handlers could not be installed.
  @discardableResult
  public func catchStops(_ signals: [CInt], handler: @escaping @Sendable (CInt) -> Void) -> Bool {
    state.withLock { state in
      state.stopHandler = handler
      stopHandlerGeneration.add(1, ordering: .releasing)
    }
    return install(signals)
  }

  /// Stops calling the stop handler. The signals stay caught (and dropped): the process
  /// is about to end and must not die of one half-way through its clean-up.
  public func ignoreStops() {
    state.withLock { state in
      state.stopHandler = nil
      stopHandlerGeneration.add(1, ordering: .releasing)
    }
  }

  /// Installs `cleanUp` for the fatal signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT):
  /// it runs inside the signal handler, so it must be async-signal-safe; then the
  /// process dies of the signal.
  public static func onCrash(_ cleanUp: @convention(c) () -> Void) {
    crashCleanUp.store(unsafeBitCast(cleanUp, to: UInt.self), ordering: .releasing)
    for number in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT] {
      _ = Syscall.installSignalHandler(
        number, flags: CInt(truncatingIfNeeded: SA_RESETHAND), handleFatalSignal)
    }
  }

  /// Ignores `signal` (`SIG_IGN`): SIGPIPE, so that a write to a closed pipe fails with
  /// `EPIPE` instead of killing the process.
  public static func ignore(_ signal: CInt) {
    Syscall.ignoreSignal(signal)
  }

  /// How many Ctrl-C presses arrived while no prompt was reading a line.
  public var interruptCount: Int {
    interruptsOutsidePrompt.load(ordering: .relaxed)
  }

  /// A stream with one element per Ctrl-C that arrives, from now on, while no
  /// prompt is reading. It ends when the consuming task stops iterating.
  public func interrupts() -> AsyncStream<Void> {
    let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .unbounded)
    let id = state.withLock { state in
      defer { state.nextID += 1 }
      state.subscribers[state.nextID] = continuation
      return state.nextID
    }
    continuation.onTermination = { [weak self] _ in
      _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
    }
    return stream
  }

  /// Starts the dispatcher once, then installs the handler for the signals not caught yet.
  private func install(_ signals: [CInt]) -> Bool {
    let (start, new) = state.withLock { state in
      defer {
        state.dispatching = true
        state.caught.formUnion(signals)
      }
      return (!state.dispatching, signals.filter { !state.caught.contains($0) })
    }
    if start {
      // The write end does not block: a handler must never wait for the reader.
      guard case .success(let pipe) = Syscall.pipe(nonBlocking: false),
        Syscall.setNonBlocking(pipe.write),
        PosixThread.start({ [self] in dispatch(from: pipe.read) })
      else { return false }
      dispatcherWakeFD.store(pipe.write, ordering: .releasing)
    }
    return new.allSatisfy { Syscall.installSignalHandler($0, flags: SA_RESTART, handleSignal) }
  }

  /// Delivers each signal from the handler, forever: a stop signal only to the stop
  /// handler of the generation it arrived in.
  private func dispatch(from fd: CInt) {
    // Every message is two bytes written at once, so an even-sized read never splits one.
    var buffer = [UInt8](repeating: 0, count: 16)
    while case .success(let count) = buffer.withUnsafeMutableBytes({ Syscall.read(fd, into: $0) }),
      count > 0
    {
      for index in stride(from: 0, to: count - 1, by: 2) {
        let signal = CInt(buffer[index])
        if signal == SIGINT {
          let subscribers = state.withLock { Array($0.subscribers.values) }
          for subscriber in subscribers { subscriber.yield() }
        } else if let handler = state.withLock({ state in
          stopHandlerGeneration.load(ordering: .acquiring) == buffer[index + 1]
            ? state.stopHandler : nil
        }) {
          handler(signal)
        }
      }
    }
  }

  /// Routes Ctrl-C to `pipe` while a prompt reads a line (pass `nil` after).
  static func routeToPrompt(_ pipe: WakePipe?) {
    activePromptWakeFD.store(pipe?.writeFD ?? -1, ordering: .releasing)
  }
}
