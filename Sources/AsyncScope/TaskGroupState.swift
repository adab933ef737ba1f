/// What a ``TaskGroupScope`` knows while it runs, behind its lock.
///
/// A small state machine: each change says what the caller must do next (resume the
/// body's waiting task, cancel these tasks), so the lock is never held across a resume,
/// a cancel or an await.
struct TaskGroupState: Sendable {
  typealias Operation = @Sendable () async throws -> Void

  enum Phase: Sendable {
    /// Made, not yet entered.
    case created
    /// Entered: the body or some task still runs, and `addTask` starts tasks.
    case open
    /// The body and every task have ended; `addTask` does nothing.
    case ended
  }

  var phase = Phase.created
  /// The body's task, once it has started: cancelled on the first failure (TG3).
  var body: GroupTask?
  /// The tasks started apart (from another task than the body's) that have begun to
  /// run, cancelled by hand with the group.
  var apart: [GroupTask] = []
  /// Whether the group is being cancelled: a failure (TG3), or the caller's
  /// cancellation (TG4). A task added from now on starts cancelled.
  var cancelled = false
  /// The body's task, suspended after the body until every task has ended.
  var waiter: UnsafeContinuation<Void, Never>?
  /// The members that have not ended yet: the body's task group (the body and the
  /// tasks it added, which the task group awaits), and every task started apart.
  var live = 0
  /// Every error that was not a cancellation, the first failure first (TG3).
  var failures: [any Error] = []
  /// In a traced run, what is known about each of `failures`: what it replaced, a note.
  var failureChains: [ErrorChain] = []
  /// Whether some task ended with a cancellation.
  var taskCancelled = false
  /// In a traced run, the trace frame of the group's body: where its tasks are traced.
  /// Set as the body's task starts, before the body can add a task.
  var traceFrame: TraceFrame?
  /// The timeouts enclosing the group: those of its tasks, wherever they are added.
  var timeouts: (any StackedTimeout)?

  /// Enter: the body is the first member. Fails if entered before (W6).
  mutating func enter() -> Bool {
    guard phase == .created else { return false }
    phase = .open
    live = 1
    return true
  }

  /// The body's task starts. Returns whether the group is being cancelled already.
  mutating func start(
    body: GroupTask?, frame: TraceFrame?, timeouts: (any StackedTimeout)?
  ) -> Bool {
    self.body = body
    traceFrame = frame
    self.timeouts = timeouts
    return cancelled
  }

  /// `addTask` from another task than the body's: counts a task started apart while
  /// the group is open; `false` once it has ended.
  mutating func add() -> Bool {
    guard phase == .open else { return false }
    live += 1
    return true
  }

  /// A task started apart begins to run: to be cancelled with the group. Returns whether
  /// the group is being cancelled already (so that the task cancels itself now), and the
  /// group's timeouts.
  mutating func started(apart task: GroupTask?) -> (Bool, (any StackedTimeout)?) {
    if let task { apart.append(task) }
    return (cancelled, timeouts)
  }

  /// The group is to be cancelled: returns what to cancel (the body and the tasks),
  /// once; nothing if it is being cancelled already.
  mutating func cancel() -> (GroupTask?, [GroupTask])? {
    guard !cancelled else { return nil }
    cancelled = true
    return (body, apart)
  }

  /// A member (the body's task group or a task started apart) ended; returns the waiter
  /// to resume if it was the last.
  mutating func memberEnded() -> UnsafeContinuation<Void, Never>? {
    live -= 1
    guard live == 0 else { return nil }
    phase = .ended
    defer { waiter = nil }
    return waiter
  }

  /// A member ended with `error`: whether it is the kind that fails the group.
  mutating func record(_ error: any Error, chain: ErrorChain?, isBody: Bool) -> Bool {
    guard isCancellation(error) else {
      failures.append(error)
      if let chain { failureChains.append(chain) }
      return true
    }
    if !isBody { taskCancelled = true }
    return false
  }

  /// Parks the body's task until every member has ended; `false` if they all have.
  mutating func park(_ continuation: UnsafeContinuation<Void, Never>) -> Bool {
    guard phase != .ended else { return false }
    waiter = continuation
    return true
  }
}

/// The body's task or a task started apart, as the group keeps it to cancel it (TG3,
/// TG4), from its first instruction on.
///
/// `UnsafeCurrentTask` holds a strong reference to its task, and `cancel()` is safe from
/// any thread; it is not `Sendable` only because most of what it offers must be done in
/// the task itself.
struct GroupTask: @unchecked Sendable {
  let task: UnsafeCurrentTask

  func cancel() { task.cancel() }
}
