import Glibc

// Signal-safe writes, for the signal handlers.

extension Syscall {
  /// `write(2)` of one byte, for signal handlers: no allocation, errno preserved.
  package static func signalSafeWrite(_ fd: CInt, _ byte: UInt8) {
    let saved = errno
    var value = byte
    _ = Glibc.write(fd, &value, 1)
    errno = saved
  }

  /// Writes two bytes in one `write(2)` (a pipe takes them whole or not at all), keeping
  /// `errno`: async-signal-safe.
  package static func signalSafeWrite(_ fd: CInt, _ first: UInt8, _ second: UInt8) {
    let saved = errno
    var value = (first, second)
    _ = Glibc.write(fd, &value, 2)
    errno = saved
  }

  /// `raise(3)`: sends `signal` to this thread; async-signal-safe.
  package static func raise(_ signal: CInt) {
    _ = Glibc.raise(signal)
  }
}
