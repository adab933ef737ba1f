import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The write end of the pipe the stop-signal handler writes to, or -1.
private let stopSignalPipe = Atomic<Int32>(-1)

/// The SIGTERM/SIGHUP handler: writes the signal's number to the pipe. Only an atomic
/// load and `write(2)`, which are async-signal-safe.
private func handleStopSignal(_ number: Int32) {
  let fd = stopSignalPipe.load(ordering: .acquiring)
  guard fd >= 0 else { return }
  let saved = errno
  var byte = UInt8(truncatingIfNeeded: number)
  _ = write(fd, &byte, 1)
  errno = saved
}

/// Turns SIGTERM and SIGHUP into calls on a queue instead of killing the process, so a
/// run can cancel its scopes and every exit can run. (SIGINT belongs to
/// `LineEditor.Interrupts`, which also clears the line at the prompt.)
///
/// A real `sigaction` handler writes to a pipe that a dispatch source reads. (A
/// `DispatchSourceSignal` is not reliable on Linux: libdispatch reads a `signalfd`
/// and blocks the signal only on its own thread, so a signal the kernel hands to any
/// other thread meets `SIG_IGN` and is lost - `scopelab run` then ignored SIGTERM.)
final class SignalWatcher {
  private let source: (any DispatchSourceRead)?

  init(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else {
      source = nil
      return
    }
    for fd in ends {
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }
    let readEnd = ends[0]
    stopSignalPipe.store(ends[1], ordering: .releasing)
    let source = DispatchSource.makeReadSource(
      fileDescriptor: readEnd, queue: DispatchQueue(label: "scopelab.signals"))
    source.setEventHandler {
      var buffer = [UInt8](repeating: 0, count: 16)
      let count = read(readEnd, &buffer, buffer.count)
      guard count > 0 else { return }
      for byte in buffer[0..<count] { handler(Int32(byte)) }
    }
    source.resume()
    self.source = source
    for number in signals {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = handleStopSignal
      action.sa_flags = Int32(truncatingIfNeeded: SA_RESTART)
      sigemptyset(&action.sa_mask)
      sigaction(number, &action, nil)
    }
  }

  /// Stops delivering signals to the handler. The signals stay caught (and dropped):
  /// the process is about to end and must not die of one half-way through its cleanup.
  func stop() {
    source?.cancel()
  }
}

/// The process environment as a dictionary.
func currentEnvironment() -> [String: String] {
  var result: [String: String] = [:]
  var pointer = environ
  while let entry = pointer.pointee {
    let text = String(cString: entry)
    if let equals = text.firstIndex(of: "=") {
      result[String(text[..<equals])] = String(text[text.index(after: equals)...])
    }
    pointer += 1
  }
  return result
}
