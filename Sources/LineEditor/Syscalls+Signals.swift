import Glibc

// Signal-safe writes, for the signal handlers.

extension Syscall {
  /// `write(2)` of one byte, for signal handlers: no allocation, errno preserved.
  static func signalSafeWrite(_ fd: CInt, _ byte: UInt8) {
    let saved = errno
    var value = byte
    _ = Glibc.write(fd, &value, 1)
    errno = saved
  }
}
