/// The timer a ``Timeout`` armed: an entry on the shared ``DeadlineTimer`` for the
/// continuous clock, or a task sleeping on any other clock (a test clock).
enum ArmedTimer: Sendable {
  case entry(TimerEntry)
  case task(Task<Void, any Error>)

  /// Disarms it; a firing that has already begun still completes.
  func cancel() {
    switch self {
    case .entry(let entry): DeadlineTimer.shared.cancel(entry)
    case .task(let task): task.cancel()
    }
  }
}
