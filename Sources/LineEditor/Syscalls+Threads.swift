import Glibc

// Threads and signal-safe atomics used by the readers.

extension Syscall {
  /// `pthread_create(3)` + `pthread_detach(3)`: runs `body` on a new thread that
  /// belongs to no executor. Returns false if the thread could not be created.
  static func startThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(
      &thread, nil,
      { context in
        guard let context else { return nil }
        let body = Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue()
        body.run()
        return nil
      }, box)
    guard status == 0 else {
      Unmanaged<ThreadBody>.fromOpaque(box).release()
      return false
    }
    pthread_detach(thread)
    return true
  }

  /// `write(2)` of one byte, for signal handlers: no allocation, errno preserved.
  static func signalSafeWrite(_ fd: CInt, _ byte: UInt8) {
    let saved = errno
    var value = byte
    _ = Glibc.write(fd, &value, 1)
    errno = saved
  }
}

private final class ThreadBody: Sendable {
  let run: @Sendable () -> Void
  init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}
