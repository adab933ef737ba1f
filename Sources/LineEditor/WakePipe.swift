import PosixThread

/// A non-blocking pipe that wakes a thread waiting in `poll(2)`.
///
/// ``post(_:)`` only calls `write(2)`, so signal handlers may use it.
final class WakePipe: Sendable {
  /// Why a wait was woken.
  enum Reason: UInt8 {
    /// Ctrl-C at the prompt.
    case interrupt = 0x49
    /// The reader is closing, or the waiting task was cancelled.
    case cancel = 0x58
  }

  let readFD: CInt
  let writeFD: CInt

  init?() {
    guard case .success(let fds) = Syscall.pipe(nonBlocking: true) else { return nil }
    readFD = fds.read
    writeFD = fds.write
  }

  deinit {
    Syscall.close(readFD)
    Syscall.close(writeFD)
  }

  /// Wakes the waiting thread. Async-signal-safe.
  func post(_ reason: Reason) {
    Syscall.signalSafeWrite(writeFD, reason.rawValue)
  }

  /// Reads every pending reason; cancel wins over interrupt.
  func drain() -> Reason? {
    var found: Reason? = nil
    var buffer = [UInt8](repeating: 0, count: 64)
    while case .success(let count) = buffer.withUnsafeMutableBytes({
      Syscall.read(readFD, into: $0)
    }),
      count > 0
    {
      for byte in buffer[0..<count] {
        guard let reason = Reason(rawValue: byte) else { continue }
        if found != .cancel { found = reason }
      }
    }
    return found
  }
}
