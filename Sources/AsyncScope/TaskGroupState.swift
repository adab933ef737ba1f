/// What a ``TaskGroupScope`` knows while it runs, behind its lock.
///
/// A small state machine: each change says what the caller must do next (resume the
/// group's waiting task, start these operations), so the lock is never held across a
/// resume or an await.
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

  /// What the group's own task is to do next.
  enum Next {
    /// Start these tasks.
    case start([Operation])
    /// Nothing to start yet: suspend until `addTask` or the end.
    case wait
    /// Everything has ended.
    case finish
  }

  var phase = Phase.created
  /// Operations `addTask` was asked for that the group's task has not started yet.
  var pending: [Operation] = []
  /// The group's task, suspended until there is something to start or it has all ended.
  var waiter: UnsafeContinuation<Void, Never>?
  /// The members that have not ended yet: the body and every task asked for.
  var live = 0
  /// Every error that was not a cancellation, the first failure first (TG3).
  var failures: [any Error] = []
  /// In a traced run, what is known about each of `failures`: what it replaced, a note.
  var failureChains: [ErrorChain] = []
  /// Whether some task ended with a cancellation.
  var taskCancelled = false
  /// In a traced run, the trace frame of the group's body: where its tasks are traced.
  var traceFrame: TraceFrame?

  /// Enter: the body is the first member. Fails if entered before (W6).
  mutating func enter() -> Bool {
    guard phase == .created else { return false }
    phase = .open
    live = 1
    return true
  }

  /// `addTask`: queues `operation` while the group is open; returns the waiter to resume.
  mutating func post(_ operation: @escaping Operation) -> UnsafeContinuation<Void, Never>? {
    guard phase == .open else { return nil }
    live += 1
    // Room for a few at once: a body that starts several tasks in a row grows it once.
    if pending.capacity == 0 { pending.reserveCapacity(8) }
    pending.append(operation)
    return takeWaiter()
  }

  /// A member (the body or a task) ended; returns the waiter to resume if it was the last.
  mutating func memberEnded() -> UnsafeContinuation<Void, Never>? {
    live -= 1
    guard live == 0 else { return nil }
    phase = .ended
    return takeWaiter()
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

  /// What the group's task is to do now.
  mutating func next() -> Next {
    if !pending.isEmpty {
      defer { pending = [] }
      return .start(pending)
    }
    return phase == .ended ? .finish : .wait
  }

  /// Parks the group's task until there is something to do; `false` if there already is.
  mutating func park(_ continuation: UnsafeContinuation<Void, Never>) -> Bool {
    guard pending.isEmpty && phase != .ended else { return false }
    waiter = continuation
    return true
  }

  private mutating func takeWaiter() -> UnsafeContinuation<Void, Never>? {
    defer { waiter = nil }
    return waiter
  }
}
