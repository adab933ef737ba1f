/// The timer a ``Timeout`` armed: an entry on the shared ``DeadlineTimer`` for the
/// continuous clock, or a task sleeping on any other clock (a test clock).
enum ArmedTimer: Sendable {
  case entry(TimerEntry)
  case task(Task<Void, any Error>)

  /// Runs `fire` once `delay` has passed on `clock`, unless cancelled first: on the
  /// ``DeadlineTimer`` thread for the continuous clock, in a task sleeping on any other.
  /// `fire` must not block.
  static func after(
    _ delay: Duration, on clock: any Clock<Duration>, _ fire: @escaping @Sendable () -> Void
  ) -> ArmedTimer {
    if clock is ContinuousClock {
      let entry = TimerEntry(
        deadline: ContinuousClock.now.advanced(by: delay), target: DeadlineCallback(fire))
      if DeadlineTimer.shared.schedule(entry) { return .entry(entry) }
    }
    return .task(
      Task {
        try await clock.sleep(for: delay)
        fire()
      })
  }

  /// Disarms it; a firing that has already begun still completes.
  func cancel() {
    switch self {
    case .entry(let entry): DeadlineTimer.shared.cancel(entry)
    case .task(let task): task.cancel()
    }
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
