import Glibc

/// A flag each thread sets for itself (`pthread_key_create(3)`, `pthread_setspecific(3)`):
/// what a `print` hook reads to know that this thread is the trace's own sink.
package final class ThreadFlag: Sendable {
  private let key: pthread_key_t

  package init() {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    self.key = key
  }

  /// Whether the calling thread has set the flag.
  package var isSet: Bool { pthread_getspecific(key) != nil }

  /// Sets or clears the flag for the calling thread.
  package func set(_ on: Bool) {
    pthread_setspecific(key, on ? UnsafeRawPointer(bitPattern: 1) : nil)
  }
}
