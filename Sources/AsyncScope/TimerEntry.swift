/// Something a ``DeadlineTimer`` wakes when its deadline comes.
protocol DeadlineTarget: AnyObject, Sendable {
  /// Called on the timer thread, once, when `entry`'s deadline has passed. Must not block.
  func deadlineReached(_ entry: TimerEntry)
}

/// One armed deadline in the ``DeadlineTimer``'s heap.
///
/// Its mutable fields belong to the timer and are touched only under the timer's lock.
/// The target is dropped when the entry fires or is cancelled, so an entry never keeps
/// a scope alive (and the scope's reference to its entry forms no lasting cycle).
final class TimerEntry: @unchecked Sendable {
  let deadline: ContinuousClock.Instant
  /// Position in the heap, `nil` when not in it.
  @exclusivity(unchecked) var heapIndex: Int?
  @exclusivity(unchecked) var target: (any DeadlineTarget)?

  init(deadline: ContinuousClock.Instant, target: any DeadlineTarget) {
    self.deadline = deadline
    self.target = target
  }
}
