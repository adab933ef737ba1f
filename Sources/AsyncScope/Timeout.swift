import Synchronization

/// A timeout scope in the style of async-timeout and `asyncio.timeout` (TO1-TO8).
///
/// Enter arms a deadline. The body runs in a task of its own, which the deadline
/// cancels - only that task, never the caller (TO1) - and which the scope always awaits
/// (TO2). Exit turns that cancellation into ``TimeoutError``, unless something outside
/// is cancelling too (TO3); only the outermost expired timeout converts (TO5).
public final class Timeout<C: Clock>: SupervisingScope, TraceNamed, StackedTimeout,
  DeadlineTarget
where C.Duration == Duration {
  public let traceName = "timeout"
  /// The duration as written; `nil` means no deadline.
  public let limit: Duration?
  /// An absolute deadline given at creation (`asyncio.timeout_at`), instead of `limit`,
  /// as an offset from `origin`.
  private let fixedDeadline: Duration?
  private let clock: C
  /// The instant the state's offsets count from: on the continuous clock one instant
  /// for the whole process (no clock read as a timeout is made), on another clock now,
  /// at creation.
  private let origin: C.Instant
  /// `origin` when the clock is the continuous clock, whose deadlines the shared
  /// ``DeadlineTimer`` thread fires.
  private let continuousOrigin: ContinuousClock.Instant?
  private let state = Mutex(TimeoutState())
  /// Set by the body's task as the body returns or throws.
  private let bodyEnded = Atomic<Bool>(false)
  /// Set (under the state's lock) as the deadline fires: what the body's task reads,
  /// with no lock, as it starts.
  private let firedFlag = Atomic<Bool>(false)

  /// - Parameters:
  ///   - limit: how long the body may run; zero or negative cancels it before it starts
  ///     (TO6), `nil` never expires.
  ///   - clock: the clock the deadline is measured on.
  @specialized(where C == ContinuousClock)
  public init(_ limit: Duration?, clock: C) {
    self.limit = limit
    self.fixedDeadline = nil
    self.clock = clock
    self.origin = Self.origin(on: clock)
    self.continuousOrigin = origin as? ContinuousClock.Instant
  }

  /// A timeout with an absolute deadline, like `asyncio.timeout_at`: two timeouts made
  /// with the same instant have exactly equal deadlines.
  @specialized(where C == ContinuousClock)
  public init(at deadline: C.Instant, clock: C) {
    self.limit = nil
    self.clock = clock
    self.origin = Self.origin(on: clock)
    self.continuousOrigin = origin as? ContinuousClock.Instant
    self.fixedDeadline = origin.duration(to: deadline)
  }

  /// An origin for the offsets of a timeout on `clock`.
  private static func origin(on clock: C) -> C.Instant {
    if C.self == ContinuousClock.self, let origin = continuousClockOrigin as? C.Instant {
      return origin
    }
    return clock.now
  }

  /// The current phase: created, active, expiring, expired or finished.
  public var phase: TimeoutPhase { state.withLock { $0.phase } }

  /// Whether the deadline fired: what tells this timeout's `TimeoutError` apart from
  /// one the body threw itself.
  public var expired: Bool { state.withLock { $0.phase == .expired || $0.fired } }

  /// The deadline, if any.
  public var deadline: C.Instant? { state.withLock { $0.deadline }.map(origin.advanced(by:)) }

  /// Asked as exit begins: whether the deadline fired or has passed.
  var exitFacts: ExitFacts {
    ExitFacts(expired: expired || deadlinePassed, passReason: state.withLock { $0.passReason })
  }

  public var traceID: String? { state.withLock { $0.trace.frame?.scope?.id } }

  /// The timeout that enclosed this one as it was entered.
  var outer: (any StackedTimeout)? { state.withLock { $0.outer } }

  public var deadlinePassed: Bool {
    guard let deadline = state.withLock({ $0.deadline }) else { return false }
    return elapsedSinceOrigin >= deadline
  }

  public func enter() async throws {
    try enterNow()
  }

  /// Enter's work, synchronous: the specialized code is reached with no async frame of
  /// its own.
  @specialized(where C == ContinuousClock)
  func enterNow() throws {
    let now = elapsedSinceOrigin
    let reporter = Trace.reporter()
    let outer = TimeoutStack.top
    // Armed under the same lock; no deadline, nothing to arm (a reschedule arms one
    // later).
    let driven = try state.withLock { state in
      guard state.phase == .created else {
        throw ScopeUsageError("Timeout has already been entered")
      }
      state.phase = .active
      state.enteredAt = now
      state.deadline = fixedDeadline ?? limit.map { now + $0 }
      state.trace = reporter
      state.outer = outer
      return arm(&state, now: now)
    }
    // Outside the lock: on another clock it may fire at once.
    driven?.start()
  }

  /// Inlinable, so that a caller in another module gets it specialized for its result
  /// type: no generic body task, no reabstraction thunks around the body. What touches
  /// the state is in the small non-inlinable methods it calls.
  @inlinable
  public func runBody<R: Sendable>(
    _ value: Value,
    _ body: @Sendable (Value) async throws -> R
  ) async throws -> R {
    // The body's task is always awaited before this returns (TO2), so it may borrow it.
    try await withoutActuallyEscaping(body) { body in
      // A child task of a cancelled task starts cancelled (TO1): so does the body's.
      let callerCancelled = Task.isCancelled
      // The body starts at once on this thread (no executor hop; a body that does not
      // suspend finishes before `Task.immediate` returns), before we register it: if the
      // deadline already fired it cancels itself first thing, so its first check for
      // cancellation throws (TO6). This timeout is bound as the innermost inside the
      // task, so that no task-local is bound around its start for it to copy.
      let task = startImmediately {
        defer { self.bodyEnds() }
        if callerCancelled || self.bodyStarts() {
          withUnsafeCurrentTask { $0?.cancel() }
        }
        var result: R?
        try await self.asInnermost { result = try await body(()) }
        guard let result else { preconditionFailure("the body returned no value") }
        return result
      }
      do {
        if bodyHasEnded {
          // The body has ended (usually without suspending, inside `Task.immediate`):
          // the deadline and the caller's cancellation have nothing left to cancel, so
          // neither a cancel closure nor a cancellation handler is set up.
          return try await task.value
        }
        if bodyRuns(cancel: { task.cancel() }) { task.cancel() }
        return try await withTaskCancellationHandler {
          try await task.value
        } onCancel: {
          task.cancel()
        }
      } catch {
        throw bodyFailed(error)
      }
    }
  }

  /// The body returned or threw, in its task.
  @usableFromInline
  func bodyEnds() {
    bodyEnded.store(true, ordering: .releasing)
  }

  /// Whether the body has returned or thrown.
  @usableFromInline
  var bodyHasEnded: Bool { bodyEnded.load(ordering: .acquiring) }

  /// The body's task starts: whether the deadline has already fired.
  @usableFromInline
  func bodyStarts() -> Bool {
    firedFlag.load(ordering: .acquiring)
  }

  /// The body runs on (it suspended): the deadline cancels it with `cancel` from now on.
  /// Returns whether the deadline has already fired.
  @usableFromInline
  func bodyRuns(cancel: @escaping @Sendable () -> Void) -> Bool {
    state.withLock { state in
      state.cancelBody = cancel
      return state.fired
    }
  }

  /// The body's task has thrown `error`: the error to throw on, for exit. (A body that
  /// returned needs nothing here: exit drops the cancel closure.)
  @usableFromInline
  func bodyFailed(_ error: any Error) -> any Error {
    let fired = state.withLock { state in
      state.cancelBody = nil
      return state.fired
    }
    if fired && !isCancellation(error) {
      // The body's own error, after the deadline: thrown as it is; a traced run notes
      // beside it when the deadline was (TO4).
      Trace.note("timeout expired at \(expiryText())", about: error)
    }
    return error
  }

  /// Converts the cancellation its own deadline caused into ``TimeoutError`` (TO3, TO5);
  /// lets every other outcome go on (TO4).
  public func exit(_ context: ExitContext<Void>) async throws -> ExitDecision {
    exitNow(context)
  }

  /// Exit's work, synchronous (as ``enterNow()``).
  @specialized(where C == ContinuousClock)
  func exitNow(_ context: ExitContext<Void>) -> ExitDecision {
    let (timer, passed, outer, elapsed, rescheduled) = state.withLock { state in
      // With no deadline that never fired there is nothing to compare: no clock read.
      let now = state.fired || state.deadline != nil ? elapsedSinceOrigin : .zero
      let passed = state.fired || state.deadline.map { now >= $0 } ?? false
      state.phase = passed ? .expired : .finished
      state.fired = state.fired || passed
      let elapsed = state.enteredAt.map { (state.firedAt ?? now) - $0 } ?? .zero
      let timer = state.timer
      state.timer = nil
      state.cancelBody = nil
      return (timer, passed, state.outer, elapsed, state.rescheduled)
    }
    timer?.cancel()
    guard passed, context.error is CancellationError else { return .propagate }
    // Outside cancellation wins (TO3.3); an enclosing expired timeout converts (TO5).
    // An enclosing expired timeout is named first: its deadline is why the caller is
    // cancelled too.
    let reason: TraceEvent.PassReason? =
      if let outer = outer?.stack.first(where: \.deadlinePassed) {
        .enclosingExpired(id: outer.traceID)
      } else if context.callerCancelled {
        .callerCancelled
      } else {
        nil
      }
    if let reason {
      state.withLock { $0.passReason = reason }
      return .propagate
    }
    // A conversion, not a failure during cleanup: the cancellation is not kept as context.
    return .convert(to: TimeoutError(limit: limit, elapsed: elapsed, rescheduled: rescheduled))
  }

  @specialized(where C == ContinuousClock)
  public func reschedule(after delay: Duration?) throws {
    let now = elapsedSinceOrigin
    let trace = try state.withLock { state in
      switch state.phase {
      case .created: throw ScopeUsageError("Timeout has not been entered")
      case .active where state.fired, .expiring:
        throw ScopeUsageError("Cannot change state of expiring Timeout")
      case .expired: throw ScopeUsageError("Cannot change state of expired Timeout")
      case .finished: throw ScopeUsageError("Cannot change state of finished Timeout")
      case .active:
        state.deadline = delay.map { now + $0 }
        state.rescheduled = true
        state.timer?.cancel()
        state.timer = nil
        return state.trace
      }
    }
    trace.emit(.reschedule(deadline: trace.elapsed.flatMap { run in delay.map { run + $0 } }))
    state.withLock { arm(&$0, now: now) }?.start()
  }

  /// Arms (or re-arms) the timer that fires at the deadline, with the state's lock held:
  /// the shared ``DeadlineTimer`` thread on the continuous clock; on other clocks (a test
  /// clock) a timer of its own driven by a sleep on that clock, returned to be started
  /// once the lock is released. Both fire ``deadlineReached(_:)``. A deadline already
  /// passed fires here.
  private func arm(_ state: inout TimeoutState, now: Duration) -> ArmedTimer? {
    guard let deadline = state.deadline else { return nil }
    if now >= deadline {
      fire(&state, at: now)
      return nil
    }
    if let continuousOrigin,
      let armed = ArmedTimer.shared(self, at: continuousOrigin + deadline)
    {
      state.timer = armed
      return nil
    }
    let armed = ArmedTimer.driven(self, at: origin.advanced(by: deadline), on: clock)
    state.timer = armed
    return armed
  }

  /// Fires the deadline, with the state's lock held: once, while active.
  private func fire(_ state: inout TimeoutState, at now: Duration) {
    if state.fire(at: now) { firedFlag.store(true, ordering: .releasing) }
  }

  @specialized(where C == ContinuousClock)
  func deadlineReached(_ entry: TimerEntry) {
    state.withLock { state in
      guard let armed = state.timer, armed.entry === entry else { return }
      fire(&state, at: elapsedSinceOrigin)
    }
  }

  /// Now, as an offset from `origin`.
  private var elapsedSinceOrigin: Duration { origin.duration(to: clock.now) }

  private func expiryText() -> String {
    state.withLock { state in
      guard let entered = state.enteredAt, let deadline = state.deadline else { return "?" }
      return formatSeconds(deadline - entered, digits: 2)
    }
  }
}

/// The origin of every continuous-clock timeout's offsets.
private let continuousClockOrigin = ContinuousClock.now

extension Timeout where C == ContinuousClock {
  /// A timeout on the continuous clock.
  public convenience init(_ limit: Duration?) {
    self.init(limit, clock: ContinuousClock())
  }
}

extension Timeout: ExitFactsReporting {}
