import Dispatch
import PosixThread
import Synchronization

/// A thread of our own that runs jobs one at a time, in order.
///
/// Blocking calls (`el_gets`, `read`) run here, never on the Swift cooperative
/// pool; async callers wait on a continuation that a job resumes.
final class WorkerThread: Sendable {
  private struct State {
    var jobs: [@Sendable () -> Void] = []
    var stopping = false
  }

  private let state = Mutex(State())
  private let wakeup = DispatchSemaphore(value: 0)
  private let finished = DispatchSemaphore(value: 0)

  /// Starts the thread; `nil` if the system has no thread to give.
  init?() {
    let started = PosixThread.start { [self] in
      loop()
      finished.signal()
    }
    guard started else { return nil }
  }

  /// Queues a job; returns false (and drops it) once ``stop()`` was called.
  @discardableResult
  func enqueue(_ job: @escaping @Sendable () -> Void) -> Bool {
    let accepted = state.withLock { state in
      guard !state.stopping else { return false }
      state.jobs.append(job)
      return true
    }
    if accepted { wakeup.signal() }
    return accepted
  }

  /// Runs the queued jobs, then ends the thread. Blocks until it has ended.
  func stop() {
    let first = state.withLock { state in
      defer { state.stopping = true }
      return !state.stopping
    }
    guard first else { return }
    wakeup.signal()
    finished.wait()
  }

  private func loop() {
    while true {
      wakeup.wait()
      let (jobs, stopping) = state.withLock { state in
        defer { state.jobs.removeAll() }
        return (state.jobs, state.stopping)
      }
      for job in jobs { job() }
      if stopping && state.withLock({ $0.jobs.isEmpty }) { return }
    }
  }
}
