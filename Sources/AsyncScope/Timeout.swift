/// A timeout scope in the style of async-timeout and `asyncio.timeout` (TO1-TO8).
///
/// Enter arms a deadline. The body runs in a task of its own, which the deadline
/// cancels - only that task, never the caller (TO1) - and which the scope always awaits
/// (TO2). Exit turns that cancellation into ``TimeoutError``, unless something outside
/// is cancelling too (TO3); only the outermost expired timeout converts (TO5).
public final class Timeout<C: Clock>: AsyncScope, EnclosingTimeout
where C.Duration == Duration {
  public let traceName = "timeout"
  /// The duration as written; `nil` means no deadline.
  public let limit: Duration?
  /// An absolute deadline given at creation (`asyncio.timeout_at`), instead of `limit`.
  private let fixedDeadline: C.Instant?
  private let clock: C
  private let state = Locked(State())

  private struct State: Sendable {
    var phase = TimeoutPhase.created
    var enteredAt: C.Instant?
    var deadline: C.Instant?
    var fired = false
    var rescheduled = false
    /// Cancels the body's task; set while the body runs.
    var cancelBody: (@Sendable () -> Void)?
    var timer: Task<Void, Never>?
    var trace = TraceReporter(frame: nil)
    /// Facts gathered as the body ended, read by exit.
    var callerCancelled = false
    var enclosing: [any EnclosingTimeout] = []
  }

  /// - Parameters:
  ///   - limit: how long the body may run; zero or negative cancels it before it starts
  ///     (TO6), `nil` never expires.
  ///   - clock: the clock the deadline is measured on.
  public init(_ limit: Duration?, clock: C) {
    self.limit = limit
    self.fixedDeadline = nil
    self.clock = clock
  }

  /// A timeout with an absolute deadline, like `asyncio.timeout_at`: two timeouts made
  /// with the same instant have exactly equal deadlines.
  public init(at deadline: C.Instant, clock: C) {
    self.limit = nil
    self.fixedDeadline = deadline
    self.clock = clock
  }

  /// The current phase: created, active, expiring, expired or finished.
  public var phase: TimeoutPhase { state.withLock { $0.phase } }

  /// Whether the deadline fired: what tells this timeout's `TimeoutError` apart from
  /// one the body threw itself.
  public var expired: Bool { state.withLock { $0.phase == .expired || $0.fired } }

  /// The deadline, if any.
  public var deadline: C.Instant? { state.withLock { $0.deadline } }

  public var exitFacts: ExitFacts { ExitFacts(expired: expired) }

  public var deadlinePassed: Bool {
    guard let deadline = state.withLock({ $0.deadline }) else { return false }
    return clock.now >= deadline
  }

  public func enter() async throws {
    let now = clock.now
    let reporter = Trace.reporter()
    try state.withLock { state in
      guard state.phase == .created else {
        throw ScopeUsageError("Timeout has already been entered")
      }
      state.phase = .active
      state.enteredAt = now
      state.deadline = fixedDeadline ?? limit.map { now.advanced(by: $0) }
      state.trace = reporter
    }
    armTimer()
  }

  public func runBody<R: Sendable>(
    _ value: Value,
    _ body: @Sendable (Value) async throws -> R
  ) async throws -> R {
    // The body's task is always awaited before this returns (TO2), so it may borrow it.
    try await withoutActuallyEscaping(body) { body in
      try await runBodyTask(body)
    }
  }

  private func runBodyTask<R: Sendable>(
    _ body: @escaping @Sendable (Value) async throws -> R
  ) async throws -> R {
    let enclosing = TimeoutStack.enclosing
    let stack = enclosing + [self]
    // The body may start before we register it; if the deadline already fired it
    // cancels itself first thing, so its first suspension point throws (TO6).
    let task = Task { [state] in
      if state.withLock({ $0.fired }) {
        withUnsafeCurrentTask { $0?.cancel() }
      }
      return try await TimeoutStack.$enclosing.withValue(stack) { try await body(()) }
    }
    let alreadyFired = state.withLock { state in
      state.cancelBody = { task.cancel() }
      return state.fired
    }
    if alreadyFired { task.cancel() }
    let result = await withTaskCancellationHandler {
      await task.result
    } onCancel: {
      task.cancel()
    }
    let fired = state.withLock { state in
      state.cancelBody = nil
      state.callerCancelled = Task.isCancelled
      state.enclosing = enclosing
      return state.fired
    }
    switch result {
    case .success(let value):
      return value
    case .failure(let error) where fired && !isCancellation(error):
      throw ChainedError(error, note: "timeout expired at \(expiryText())")
    case .failure(let error):
      throw error
    }
  }

  public func exit(_ error: (any Error)?) async throws -> Bool {
    let now = clock.now
    let (timer, passed, callerCancelled, enclosing, elapsed, rescheduled) = state.withLock {
      state in
      let passed = state.fired || state.deadline.map { now >= $0 } ?? false
      state.phase = passed ? .expired : .finished
      state.fired = state.fired || passed
      let elapsed = state.enteredAt.map { $0.duration(to: now) } ?? .zero
      let timer = state.timer
      state.timer = nil
      return (
        timer, passed, state.callerCancelled, state.enclosing, elapsed, state.rescheduled
      )
    }
    timer?.cancel()
    guard passed, let error, error is CancellationError else { return false }
    // Outside cancellation wins (TO3.3); an enclosing expired timeout converts (TO5).
    if callerCancelled || Task.isCancelled || enclosing.contains(where: \.deadlinePassed) {
      return false
    }
    throw TimeoutError(limit: rescheduled ? nil : limit, elapsed: elapsed)
  }

  public func reschedule(after delay: Duration?) throws {
    let now = clock.now
    try state.withLock { state in
      switch state.phase {
      case .created: throw ScopeUsageError("Timeout has not been entered")
      case .active where state.fired, .expiring:
        throw ScopeUsageError("Cannot change state of expiring Timeout")
      case .expired: throw ScopeUsageError("Cannot change state of expired Timeout")
      case .finished: throw ScopeUsageError("Cannot change state of finished Timeout")
      case .active:
        state.deadline = delay.map { now.advanced(by: $0) }
        state.rescheduled = true
        state.timer?.cancel()
        state.timer = nil
      }
    }
    armTimer()
  }

  /// Starts (or restarts) the task that fires at the deadline.
  private func armTimer() {
    state.withLock { state in
      guard let deadline = state.deadline else { return }
      if clock.now >= deadline {
        fireLocked(&state)
        return
      }
      state.timer = Task { [clock, weak self] in
        do {
          try await clock.sleep(until: deadline, tolerance: .zero)
        } catch {
          return
        }
        self?.fire(ifDeadline: deadline)
      }
    }
  }

  private func fire(ifDeadline deadline: C.Instant) {
    state.withLock { state in
      guard state.deadline == deadline else { return }
      fireLocked(&state)
    }
  }

  private func fireLocked(_ state: inout State) {
    guard state.phase == .active, !state.fired else { return }
    state.fired = true
    state.phase = .expiring
    state.trace.emit(.fired)
    state.cancelBody?()
  }

  private func expiryText() -> String {
    state.withLock { state in
      guard let entered = state.enteredAt, let deadline = state.deadline else { return "?" }
      return formatSeconds(entered.duration(to: deadline), digits: 2)
    }
  }
}

extension Timeout where C == ContinuousClock {
  /// A timeout on the continuous clock.
  public convenience init(_ limit: Duration?) {
    self.init(limit, clock: ContinuousClock())
  }
}
