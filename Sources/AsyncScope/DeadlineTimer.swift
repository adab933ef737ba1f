import PosixThread
import Synchronization

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
///
/// It wakes ``spinWindow`` before the earliest deadline and spins (reading the clock,
/// lock released) for the rest: a timed wait returns late by the kernel's timer slack
/// (50 us by default) plus the wake-up itself, which on a virtual machine whose idle
/// CPU is halted is another 50-150 us. The spin costs at most ``spinWindow`` of one CPU
/// per deadline the thread fires (or one cancelled within that window of its deadline);
/// deadlines far ahead and timeouts that never fire cost none.
///
/// The thread is only the driver: what is due and in what order it fires is
/// ``fireDue(at:)``, which the thread calls each time it wakes. A timer made with
/// `thread: false` has no thread and is driven by calling ``fireDue(at:)`` - a test at
/// instants it picks, or a timeout on another clock (a test clock) when that clock's
/// sleep ends - so they run the same code as every continuous-clock timeout.
final class DeadlineTimer: @unchecked Sendable {
  /// The process-wide timer; its thread starts on first use.
  static let shared = DeadlineTimer(thread: true)

  /// The longest single wait: bounds drift between the continuous clock
  /// (`CLOCK_BOOTTIME`) and `CLOCK_MONOTONIC` across a system suspend.
  private static let longestWait = Duration.seconds(30)

  /// How long before a deadline the thread stops sleeping and spins. Covers the usual
  /// lateness of a timed wait (slack and wake-up, about 100-160 us at the median on the
  /// 2-core development VM); a wait later than this makes the firing late by the excess.
  static let spinWindow = Duration.microseconds(200)

  /// Set when a deadline earlier than `wakeAt` is armed, so a spin towards a later one
  /// ends at once. Reset (under the lock) as each spin begins.
  private let earlierArmed = Atomic<Bool>(false)

  private let lock = ConditionLock()
  // Guarded by `lock`, so exempt from the run-time exclusivity checks a class's stored
  // properties otherwise pay on every access:
  @exclusivity(unchecked) private var heap = DeadlineHeap()
  /// The deadline the thread sleeps towards; `nil` while it sleeps without one.
  @exclusivity(unchecked) private var wakeAt: ContinuousClock.Instant?
  @exclusivity(unchecked) private var started = false
  /// Whether a thread drives this timer (else calls of ``fireDue(at:)`` do).
  private let hasThread: Bool

  init(thread: Bool) {
    hasThread = thread
  }

  /// Arms `entry`: its target's ``DeadlineTarget/deadlineReached(_:)`` runs on the
  /// timer thread once the deadline has passed, unless ``cancel(_:)`` comes first.
  /// - Returns: `false` if the timer thread could not be started.
  func schedule(_ entry: TimerEntry) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    if hasThread && !started {
      started = PosixThread.start { [self] in runLoop() }
      guard started else { return false }
    }
    heap.insert(entry)
    if wakeAt.map({ entry.deadline < $0 }) ?? true {
      wakeAt = entry.deadline
      earlierArmed.store(true, ordering: .releasing)
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

  /// Fires every entry whose deadline is at or before `now`, earliest first, on the
  /// calling thread; returns how many fired. What the timer thread does each time it
  /// wakes; a timer without a thread is driven by calling it.
  @discardableResult
  func fireDue(at now: ContinuousClock.Instant) -> Int {
    lock.lock()
    let due = takeDue(at: now)
    lock.unlock()
    for (target, entry) in due { target.deadlineReached(entry) }
    return due.count
  }

  /// The earliest deadline armed, if any.
  var nextDeadline: ContinuousClock.Instant? {
    lock.lock()
    defer { lock.unlock() }
    return heap.first?.deadline
  }

  /// Removes the entries due at `now` from the heap, earliest first, with their targets
  /// (a cancelled entry has none and is dropped). The lock must be held.
  private func takeDue(at now: ContinuousClock.Instant) -> [(any DeadlineTarget, TimerEntry)] {
    var due: [(any DeadlineTarget, TimerEntry)] = []
    while let first = heap.first, first.deadline <= now, let entry = heap.removeFirst() {
      if let target = entry.target { due.append((target, entry)) }
      entry.target = nil
    }
    return due
  }

  private func runLoop() {
    lock.lock()
    while true {
      let now = ContinuousClock.now
      let due = takeDue(at: now)
      if !due.isEmpty {
        lock.unlock()
        for (target, entry) in due { target.deadlineReached(entry) }
        lock.lock()
        continue
      }
      if let next = heap.first?.deadline {
        wakeAt = next
        let delay = now.duration(to: next)
        if delay > Self.spinWindow {
          lock.wait(for: min(delay - Self.spinWindow, Self.longestWait))
        } else {
          spin(until: next)
        }
      } else if let promised = wakeAt, now.duration(to: promised) > Self.spinWindow {
        // Keep the wake-up a cancelled entry promised: the next arm with a later
        // deadline (a loop of timeouts that never fire) then needs no signal.
        lock.wait(for: min(now.duration(to: promised) - Self.spinWindow, Self.longestWait))
      } else {
        wakeAt = nil
        lock.wait()
      }
    }
  }

  /// Reads the clock until `deadline`, or until an earlier deadline is armed, with the
  /// lock released (arming and disarming go on meanwhile); the lock is held again on
  /// return. No `pause` hint: on a virtual machine a long run of them can make the host
  /// deschedule the virtual CPU.
  private func spin(until deadline: ContinuousClock.Instant) {
    earlierArmed.store(false, ordering: .relaxed)
    lock.unlock()
    while ContinuousClock.now < deadline, !earlierArmed.load(ordering: .acquiring) {}
    lock.lock()
  }
}
