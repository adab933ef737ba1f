import Synchronization

/// An armed deadline: an entry on the shared ``DeadlineTimer`` for the continuous clock,
/// or, on any other clock (a test clock), an entry on a ``DeadlineTimer`` of its own that
/// a task sleeping on that clock drives. Either way the entry fires through
/// ``DeadlineTimer/fireDue(at:)``: a test clock drives the same code as production.
enum ArmedTimer: Sendable {
  case entry(TimerEntry)
  case driven(DrivenDeadline)

  /// The armed entry: what a ``DeadlineTarget`` compares with the one that fired.
  var entry: TimerEntry {
    switch self {
    case .entry(let entry): entry
    case .driven(let driven): driven.entry
    }
  }

  /// Arms `target` for `deadline` on the shared timer's thread; nil if it cannot start.
  static func shared(
    _ target: any DeadlineTarget, at deadline: ContinuousClock.Instant
  ) -> ArmedTimer? {
    let entry = TimerEntry(deadline: deadline, target: target)
    return DeadlineTimer.shared.schedule(entry) ? .entry(entry) : nil
  }

  /// Arms `target` for `deadline` on `clock`, driven by a task sleeping on it. Nothing
  /// fires before ``start()``: call it once the timer is stored where the target looks.
  static func driven<C: Clock>(
    _ target: any DeadlineTarget, at deadline: C.Instant, on clock: C
  ) -> ArmedTimer {
    .driven(
      DrivenDeadline(target: target) {
        try await clock.sleep(until: deadline, tolerance: .zero)
      })
  }

  /// Runs `fire` once `delay` has passed on `clock`, unless cancelled first: on the
  /// ``DeadlineTimer`` thread for the continuous clock, driven by `clock` otherwise.
  /// `fire` must not block.
  static func after(
    _ delay: Duration, on clock: any Clock<Duration>, _ fire: @escaping @Sendable () -> Void
  ) -> ArmedTimer {
    let target = DeadlineCallback(fire)
    if clock is ContinuousClock,
      let armed = shared(target, at: ContinuousClock.now.advanced(by: delay))
    {
      return armed
    }
    let armed = driven(target, after: delay, on: clock)
    armed.start()
    return armed
  }

  private static func driven<C: Clock>(
    _ target: any DeadlineTarget, after delay: Duration, on clock: C
  ) -> ArmedTimer where C.Duration == Duration {
    driven(target, at: clock.now.advanced(by: delay), on: clock)
  }

  /// Starts the task that drives a timer on another clock; nothing for the shared timer.
  func start() {
    if case .driven(let driven) = self { driven.start() }
  }

  /// Disarms it; a firing that has already begun still completes.
  func cancel() {
    switch self {
    case .entry(let entry): DeadlineTimer.shared.cancel(entry)
    case .driven(let driven): driven.cancel()
    }
  }
}

/// One entry on a ``DeadlineTimer`` without a thread, fired when a sleep on another
/// clock ends: the sleep says when, the timer what fires (nothing once cancelled).
final class DrivenDeadline: Sendable {
  let entry: TimerEntry
  private let timer = DeadlineTimer(thread: false)
  private let sleep: @Sendable () async throws -> Void
  /// The driving task once started; `cancelled` once cancelled (before or after).
  private let driver = Mutex<(task: Task<Void, any Error>?, cancelled: Bool)>((nil, false))

  init(target: any DeadlineTarget, sleep: @escaping @Sendable () async throws -> Void) {
    // The clock's sleep decides when; the entry's own instant only has to be due then.
    entry = TimerEntry(deadline: ContinuousClock.now, target: target)
    self.sleep = sleep
    _ = timer.schedule(entry)
  }

  func start() {
    guard driver.withLock({ !$0.cancelled && $0.task == nil }) else { return }
    // Started at once, so the sleep is registered before this returns (a test clock
    // advanced right after must see it); it may fire at once.
    let task = startImmediately { [timer, entry, sleep] in
      try await sleep()
      timer.fireDue(at: entry.deadline)
    }
    let cancelled = driver.withLock { driver in
      driver.task = task
      return driver.cancelled
    }
    if cancelled { task.cancel() }
  }

  func cancel() {
    timer.cancel(entry)
    driver.withLock { driver in
      driver.cancelled = true
      return driver.task
    }?.cancel()
  }
}

/// A ``DeadlineTarget`` that runs a closure.
private final class DeadlineCallback: DeadlineTarget {
  let fire: @Sendable () -> Void

  init(_ fire: @escaping @Sendable () -> Void) {
    self.fire = fire
  }

  func deadlineReached(_ entry: TimerEntry) {
    fire()
  }
}
