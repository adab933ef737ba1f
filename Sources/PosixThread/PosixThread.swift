#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one way the package starts a thread of its own (the deadline timer's, the line
/// readers' and the signal dispatcher's): a blocking loop there never holds a thread of
/// the Swift cooperative pool.
package enum PosixThread {
  /// `pthread_create(3)` + `pthread_detach(3)`: runs `body` on a new thread that belongs
  /// to no executor. Returns false if the thread could not be created.
  package static func start(_ body: @escaping @Sendable () -> Void) -> Bool {
    let box = Unmanaged.passRetained(ThreadBody(body))
    var thread = pthread_t()
    let status = pthread_create(
      &thread, nil,
      { context in
        guard let context else { return nil }
        Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().body()
        return nil
      }, box.toOpaque())
    guard status == 0 else {
      box.release()
      return false
    }
    pthread_detach(thread)
    return true
  }
}

/// The closure a new thread runs, passed through `pthread_create`'s context pointer.
private final class ThreadBody: Sendable {
  let body: @Sendable () -> Void

  init(_ body: @escaping @Sendable () -> Void) {
    self.body = body
  }
}
