/// The life of a ``Timeout``, as CPython's `asyncio.timeout` names it (TO8).
public enum TimeoutPhase: String, Sendable, Equatable {
  /// Made, not yet entered.
  case created
  /// Entered; the deadline is armed.
  case active
  /// The deadline fired and cancelled the body; exit has not run yet.
  case expiring
  /// Exited after the deadline passed.
  case expired
  /// Exited before the deadline.
  case finished
}

/// What an enclosing timeout offers the scopes inside it (the task-local deadline stack).
public protocol EnclosingTimeout: AnyObject, Sendable {
  /// Whether this timeout's deadline has passed (its timer may not have fired yet).
  var deadlinePassed: Bool { get }
  /// The id the trace knows this timeout by (`timeout#1`), if it is traced.
  var traceID: String? { get }
  /// Moves the deadline to now + `delay` (`nil`: no deadline). Only while active.
  func reschedule(after delay: Duration?) throws
}

/// The timeouts enclosing the current task, outermost first (TO5).
public enum TimeoutStack {
  @TaskLocal public static var enclosing: [any EnclosingTimeout] = []

  /// The innermost enclosing timeout: the one `reschedule` changes.
  public static var innermost: (any EnclosingTimeout)? { enclosing.last }
}

extension [any EnclosingTimeout] {
  /// This stack with `timeout` pushed: one allocation.
  @inlinable
  func appending(_ timeout: any EnclosingTimeout) -> Self {
    var stack = Self()
    stack.reserveCapacity(count + 1)
    stack.append(contentsOf: self)
    stack.append(timeout)
    return stack
  }
}
