#if canImport(Glibc)
  package import Glibc
#elseif canImport(Musl)
  package import Musl
#elseif canImport(Darwin)
  package import Darwin
#endif

/// A pthread mutex with one condition variable whose timed waits use `CLOCK_MONOTONIC`,
/// for AsyncScope's deadline timer thread: the timer's C calls, in the syscalls layer.
package final class ConditionLock: @unchecked Sendable {
  @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t> = .allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

  /// `pthread_mutex_init`, and `pthread_cond_init` with
  /// `pthread_condattr_setclock(CLOCK_MONOTONIC)`.
  package init() {
    pthread_mutex_init(mutex, nil)
    var attributes = pthread_condattr_t()
    pthread_condattr_init(&attributes)
    #if !canImport(Darwin)
      pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
    #endif
    pthread_cond_init(condition, &attributes)
    pthread_condattr_destroy(&attributes)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
  }

  /// The clock timed waits count on: Darwin's condition variables know only the
  /// realtime clock.
  #if canImport(Darwin)
    private static let waitClock = CLOCK_REALTIME
  #else
    private static let waitClock = CLOCK_MONOTONIC
  #endif

  /// `pthread_mutex_lock`.
  @inlinable package func lock() { pthread_mutex_lock(mutex) }

  /// `pthread_mutex_unlock`.
  @inlinable package func unlock() { pthread_mutex_unlock(mutex) }

  /// `pthread_cond_signal`: wakes the waiting thread, if any.
  package func signal() { pthread_cond_signal(condition) }

  /// `pthread_cond_wait`; the lock must be held.
  package func wait() { pthread_cond_wait(condition, mutex) }

  /// `pthread_cond_timedwait` until `CLOCK_MONOTONIC` reads now + `delay` (at least
  /// zero); the lock must be held. May return early (a signal, or spuriously).
  package func wait(for delay: Duration) {
    var deadline = timespec()
    clock_gettime(Self.waitClock, &deadline)
    let (seconds, attoseconds) = max(delay, .zero).components
    var nanoseconds = Int(deadline.tv_nsec) + Int(attoseconds / 1_000_000_000)
    deadline.tv_sec += Int(seconds) + nanoseconds / 1_000_000_000
    nanoseconds %= 1_000_000_000
    deadline.tv_nsec = nanoseconds
    pthread_cond_timedwait(condition, mutex, &deadline)
  }
}
