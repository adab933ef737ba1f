/// Runs `body` inside `scope`: the Swift form of `async with scope as value: body`.
///
/// - Enter fails: the body and exit never run; the error propagates unchanged (W1).
/// - Exit runs exactly once after a successful enter, however the body ends (W2).
/// - Exit sees what enter produced, the body's error or `nil`, and whether the caller is
///   cancelled (``ExitContext``). It may suppress an ordinary error - the code after the
///   scope then runs -, convert the outcome into another error (``ExitDecision``), or
///   throw a new one that replaces it: the caller catches the new one as it is, and a
///   traced run tells what it replaced (W3).
/// - A cancellation is never suppressed (W4), and when the task is already cancelled,
///   exit runs in a task that is not, so its cleanup can await (W5).
///
/// The body runs in the caller's task and isolation, so it need not be `@Sendable`; only
/// a ``SupervisingScope`` (``Timeout``, ``TaskGroupScope``) asks for a `@Sendable` body,
/// since it runs the body in a task of its own.
///
/// ```swift
/// try await withScope(Stopwatch()) { _ in
///   try await Task.sleep(for: .seconds(1))
/// }
/// ```
@inlinable
nonisolated(nonsending) public func withScope<S: AsyncScope>(
  _ scope: S,
  _ body: nonisolated(nonsending) (S.Value) async throws -> Void
) async throws {
  try requireUnsupervised(scope)
  _ = try await runScope(scope, body)
}

/// Runs `body` inside `scope` and returns its value, or `nil` when exit suppressed the
/// body's error (the rules are those of the `Void` form).
///
/// When you have a value to use in place of a suppressed body's, pass it as
/// `ifSuppressed`, and the result is not optional.
@inlinable @discardableResult
nonisolated(nonsending) public func withScope<S: AsyncScope, R>(
  _ scope: S,
  _ body: nonisolated(nonsending) (S.Value) async throws -> R
) async throws -> R? {
  try requireUnsupervised(scope)
  return try await runScope(scope, body)
}

/// Runs `body` inside `scope` and returns its value, or `fallback` when exit suppressed
/// the body's error (the rules are those of the `Void` form).
@inlinable @discardableResult
nonisolated(nonsending) public func withScope<S: AsyncScope, R>(
  _ scope: S,
  ifSuppressed fallback: @autoclosure () -> R,
  _ body: nonisolated(nonsending) (S.Value) async throws -> R
) async throws -> R {
  try requireUnsupervised(scope)
  return try await runScope(scope, body) ?? fallback()
}

/// Runs `body` inside a scope that supervises it (``Timeout``, ``TaskGroupScope``): the
/// same rules, with a `@Sendable` body, since the scope runs it in a task of its own.
@inlinable
nonisolated(nonsending) public func withScope<S: SupervisingScope>(
  _ scope: S,
  _ body: @Sendable (S.Value) async throws -> Void
) async throws {
  _ = try await runScope(scope) { value in try await scope.runBody(value, body) }
}

/// Runs `body` inside a scope that supervises it and returns its value, or `nil` when
/// exit suppressed the body's error.
@inlinable @discardableResult
nonisolated(nonsending) public func withScope<S: SupervisingScope, R: Sendable>(
  _ scope: S,
  _ body: @Sendable (S.Value) async throws -> R
) async throws -> R? {
  try await runScope(scope) { value in try await scope.runBody(value, body) }
}

/// Runs `body` inside a scope that supervises it and returns its value, or `fallback`
/// when exit suppressed the body's error.
@inlinable @discardableResult
nonisolated(nonsending) public func withScope<S: SupervisingScope, R: Sendable>(
  _ scope: S,
  ifSuppressed fallback: @autoclosure () -> R,
  _ body: @Sendable (S.Value) async throws -> R
) async throws -> R {
  try await runScope(scope) { value in try await scope.runBody(value, body) } ?? fallback()
}

/// A supervising scope reached through code generic over ``AsyncScope`` would run its
/// body in the caller's task, where it cannot supervise it: refused before enter.
@inlinable
func requireUnsupervised<S: AsyncScope>(_ scope: S) throws {
  if scope is any SupervisingScope {
    throw ScopeUsageError(
      "\(S.self) runs its body in a task of its own: enter it where its type is known")
  }
}

/// `withScope`'s one implementation, observed by the current trace, if any.
///
/// Inlinable, so that a caller in another module gets it specialized for its scope type:
/// untraced, a trivial scope then costs a few direct calls, with no generic dispatch and
/// nothing of the trace but one relaxed atomic load.
@inlinable
nonisolated(nonsending) func runScope<S: AsyncScope, R>(
  _ scope: S,
  _ body: nonisolated(nonsending) (S.Value) async throws -> R
) async throws -> R? {
  if Trace.mayBeActive, let trace = ScopeTrace.begin(scope) {
    return try await runScope(scope, observedBy: trace, body)
  }
  return try await runScope(scope, observedBy: Unobserved(), body)
}

/// The rules W1-W6, once: enter, body, exit, and what becomes of the outcome, each step
/// told to `observer` (a ``ScopeTrace`` in a traced run, nothing otherwise).
@inlinable
nonisolated(nonsending) func runScope<S: AsyncScope, R, O: ScopeObserver>(
  _ scope: S,
  observedBy observer: O,
  _ body: nonisolated(nonsending) (S.Value) async throws -> R
) async throws -> R? {
  let value: S.Value
  do {
    value = try await observer.inScope { try await scope.enter() }
  } catch {
    observer.enterFailed(error)
    throw error
  }
  let result: R
  do {
    result = try await observer.inBody { try await body(value) }
  } catch {
    return try await observer.inScope {
      try await exitAfterFailure(scope, value, error, observer)
    }
  }
  observer.exitBegins(scope, error: nil)
  let decision: ExitDecision
  do {
    decision = try await observer.inScope { try await exitUncancelled(scope, value, nil) }
  } catch {
    observer.exitRaised(error, replacing: nil)
    throw error
  }
  try settle(decision, observer)
  observer.exitSucceeded(scope)
  return result
}

/// Exit after the body threw: suppress, convert, replace, or let the error go on.
@usableFromInline
nonisolated(nonsending) func exitAfterFailure<S: AsyncScope, R, O: ScopeObserver>(
  _ scope: S,
  _ value: S.Value,
  _ error: any Error,
  _ observer: O
) async throws -> R? {
  observer.exitBegins(scope, error: error)
  let decision: ExitDecision
  do {
    decision = try await exitUncancelled(scope, value, error)
  } catch let exitError {
    // Thrown as it is; a traced run keeps the error it replaced beside it.
    observer.exitRaised(exitError, replacing: error)
    throw exitError
  }
  return try settle(decision, after: error, observer) { observer.passStep(scope) }
}

/// What leaves a scope whose body threw `error`, once its exit has decided (W3, W4): the
/// error it converted into, `nil` when it suppressed an ordinary error, or `error` itself.
/// `withScope` and `withSyncScope` both decide here.
@inlinable
func settle<R, O: ScopeObserver>(
  _ decision: ExitDecision, after error: any Error, _ observer: O,
  passStep: () -> TraceEvent.ExitStep?
) throws -> R? {
  let step: TraceEvent.ExitStep?
  switch decision {
  case .convert(let replacement):
    observer.exitConverted(replacement, replacing: error)
    throw replacement
  case .suppress where !isCancellation(error):
    observer.suppressed(error)
    return nil
  case .suppress:
    step = .suppressRefused
  case .propagate:
    step = passStep()
  }
  observer.exitDone(error: error, step: step)
  throw error
}

/// What exit's decision does after the body ended normally: nothing was in flight, so
/// converting is raising, and a suppress is ignored (W3).
@inlinable
func settle<O: ScopeObserver>(_ decision: ExitDecision, _ observer: O) throws {
  if case .convert(let replacement) = decision {
    observer.exitRaised(replacement, replacing: nil)
    throw replacement
  }
}

/// Calls exit with what it needs to know; in an uncancelled task if this one is
/// cancelled (W5).
@inlinable
nonisolated(nonsending) func exitUncancelled<S: AsyncScope>(
  _ scope: S, _ value: S.Value, _ error: (any Error)?
) async throws -> ExitDecision {
  if Task.isCancelled { return try await exitInUncancelledTask(scope, value, error) }
  return try await scope.exit(ExitContext(value: value, error: error, callerCancelled: false))
}

/// Exit for a cancelled caller (W5). Not inlined, so that the common path does not pay for
/// the closure it needs.
@usableFromInline
func exitInUncancelledTask<S: AsyncScope>(
  _ scope: S, _ value: S.Value, _ error: (any Error)?
) async throws -> ExitDecision {
  let context = ExitContext(value: value, error: error, callerCancelled: true)
  return try await withUncancelledTask { try await scope.exit(context) }
}

/// What `withScope` tells as it goes: the trace's view of the rules W1-W6.
@usableFromInline
protocol ScopeObserver {
  /// Runs enter or exit, whose events belong to the scope.
  nonisolated(nonsending) func inScope<T>(
    _ operation: nonisolated(nonsending) () async throws -> T
  ) async throws -> T
  /// Runs the body, one level deeper.
  nonisolated(nonsending) func inBody<T>(
    _ operation: nonisolated(nonsending) () async throws -> T
  ) async throws -> T
  func enterFailed(_ error: any Error)
  /// Exit is about to run, told `error`.
  func exitBegins<S: AsyncScope>(_ scope: S, error: (any Error)?)
  /// Exit returned or threw, and `error` leaves the scope.
  func exitDone(error: (any Error)?, step: TraceEvent.ExitStep?)
  /// Exit threw `error` (or converted into it after a normal end), replacing `replaced`.
  func exitRaised(_ error: any Error, replacing replaced: (any Error)?)
  /// Exit converted the body's `replaced` into `error`, which leaves the scope.
  func exitConverted(_ error: any Error, replacing replaced: any Error)
  /// Exit suppressed the body's `error`.
  func suppressed(_ error: any Error)
  /// Exit returned after the body ended normally.
  func exitSucceeded<S: AsyncScope>(_ scope: S)
  /// Why exit let the body's error go on, when the scope says (a timeout's TO3, TO5).
  func passStep<S: AsyncScope>(_ scope: S) -> TraceEvent.ExitStep?
}

/// The observer of an untraced run: nothing, inlined away.
@usableFromInline
struct Unobserved: ScopeObserver {
  @inlinable init() {}
  @inlinable nonisolated(nonsending) func inScope<T>(
    _ operation: nonisolated(nonsending) () async throws -> T
  ) async throws -> T { try await operation() }
  @inlinable nonisolated(nonsending) func inBody<T>(
    _ operation: nonisolated(nonsending) () async throws -> T
  ) async throws -> T { try await operation() }
  @inlinable func enterFailed(_ error: any Error) {}
  @inlinable func exitBegins<S: AsyncScope>(_ scope: S, error: (any Error)?) {}
  @inlinable func exitDone(error: (any Error)?, step: TraceEvent.ExitStep?) {}
  @inlinable func exitRaised(_ error: any Error, replacing replaced: (any Error)?) {}
  @inlinable func exitConverted(_ error: any Error, replacing replaced: any Error) {}
  @inlinable func suppressed(_ error: any Error) {}
  @inlinable func exitSucceeded<S: AsyncScope>(_ scope: S) {}
  @inlinable func passStep<S: AsyncScope>(_ scope: S) -> TraceEvent.ExitStep? { nil }
}

/// Runs `operation` in a task that is not cancelled, and waits for it.
///
/// Cleanup that must finish even when the caller was cancelled (W5) runs here; the
/// caller still sees its own cancellation afterwards. Task-locals are inherited.
public func withUncancelledTask<R: Sendable>(
  _ operation: @escaping @Sendable () async throws -> R
) async throws -> R {
  try await Task { try await operation() }.value
}
