/// Fires deadlines on the continuous clock from one dedicated thread.
///
/// `Task.sleep` on Linux goes through libdispatch: each sleep creates a dispatch timer
/// source (with `tolerance: .zero`) or gets `dispatch_after`'s leeway (10% of the
/// delay, at least 1 ms, without it), and the wake-up travels manager thread -> worker
/// thread -> task. Here arming is a heap insert under a lock, disarming a heap removal,
/// and firing runs the target's (non-blocking) callback on the timer thread itself,
/// which for a timeout is just `Task.cancel()` of its body. The thread sleeps in
/// `pthread_cond_timedwait` on `CLOCK_MONOTONIC` and is signalled only when a new
/// deadline is earlier than the one it sleeps towards.
final class DeadlineTimer: @unchecked Sendable {
  /// The process-wide timer; its thread starts on first use.
  static let shared = DeadlineTimer()

  /// The longest single wait: bounds drift between the continuous clock
  /// (`CLOCK_BOOTTIME`) and `CLOCK_MONOTONIC` across a system suspend.
  private static let longestWait = Duration.seconds(30)

  private let lock = ConditionLock()
  // Guarded by `lock`:
  private var heap = DeadlineHeap()
  /// The deadline the thread sleeps towards; `nil` while it sleeps without one.
  private var wakeAt: ContinuousClock.Instant?
  private var started = false

  private init() {}

  /// Arms `entry`: its target's ``DeadlineTarget/deadlineReached(_:)`` runs on the
  /// timer thread once the deadline has passed, unless ``cancel(_:)`` comes first.
  /// - Returns: `false` if the timer thread could not be started.
  func schedule(_ entry: TimerEntry) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    if !started {
      started = ConditionLock.startThread { [self] in runLoop() }
      guard started else { return false }
    }
    heap.insert(entry)
    if wakeAt.map({ entry.deadline < $0 }) ?? true {
      wakeAt = entry.deadline
      lock.signal()
    }
    return true
  }

  /// Disarms `entry`; after this returns its target is not called (unless the call had
  /// already begun on the timer thread).
  func cancel(_ entry: TimerEntry) {
    lock.lock()
    heap.remove(entry)
    entry.target = nil
    lock.unlock()
  }

  private func runLoop() {
    lock.lock()
    while true {
      let now = ContinuousClock.now
      var due: [any DeadlineTarget] = []
      var dueEntries: [TimerEntry] = []
      while let first = heap.first, first.deadline <= now, let entry = heap.removeFirst() {
        if let target = entry.target {
          due.append(target)
          dueEntries.append(entry)
        }
        entry.target = nil
      }
      if !due.isEmpty {
        lock.unlock()
        for (target, entry) in zip(due, dueEntries) { target.deadlineReached(entry) }
        lock.lock()
        continue
      }
      if let next = heap.first?.deadline {
        wakeAt = next
        lock.wait(for: min(now.duration(to: next), Self.longestWait))
      } else if let promised = wakeAt, promised > now {
        // Keep the wake-up a cancelled entry promised: the next arm with a later
        // deadline (a loop of timeouts that never fire) then needs no signal.
        lock.wait(for: min(now.duration(to: promised), Self.longestWait))
      } else {
        wakeAt = nil
        lock.wait()
      }
    }
  }
}
