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
  /// The innermost enclosing timeout, bound around a timeout's body: each one keeps the
  /// one that enclosed it, so pushing one is binding it, with no stack to copy.
  @TaskLocal static var top: (any StackedTimeout)?

  /// The enclosing timeouts, outermost first.
  public static var enclosing: [any EnclosingTimeout] { top?.stack ?? [] }

  /// The innermost enclosing timeout: the one `reschedule` changes.
  public static var innermost: (any EnclosingTimeout)? { top }
}

extension Timeout {
  /// Runs `body` with this timeout bound as the innermost (TO5): in the body's task, so
  /// that nothing is bound around the task's start for it to copy.
  @usableFromInline
  func asInnermost(_ body: () async throws -> Void) async throws {
    try await TimeoutStack.$top.withValue(self) { try await body() }
  }
}

/// A timeout on the task-local stack: it knows the timeout that enclosed it.
protocol StackedTimeout: EnclosingTimeout {
  /// The timeout that enclosed this one as it was entered, if any.
  var outer: (any StackedTimeout)? { get }
}

extension StackedTimeout {
  /// This timeout and those enclosing it, outermost first.
  var stack: [any EnclosingTimeout] {
    var stack: [any EnclosingTimeout] = [self]
    var next = outer
    while let timeout = next {
      stack.append(timeout)
      next = timeout.outer
    }
    return stack.reversed()
  }
}
