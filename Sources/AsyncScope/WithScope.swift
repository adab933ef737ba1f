/// Runs `body` inside `scope`: the Swift form of `async with scope as value: body`.
///
/// - Enter fails: the body and exit never run; the error propagates unchanged (W1).
/// - Exit runs exactly once after a successful enter, however the body ends (W2).
/// - Exit sees the body's error or `nil`, and whether the caller is cancelled
///   (``ExitContext``). It may suppress an ordinary error, convert the outcome into
///   another error (``ExitDecision``), or throw a new one that replaces it, keeping the
///   old as context (W3).
/// - A cancellation is never suppressed (W4), and when the task is already cancelled,
///   exit runs in a task that is not, so its cleanup can await (W5).
///
/// - Returns: the body's result, or `nil` when exit suppressed the body's error.
@inlinable
public func withScope<S: AsyncScope, R: Sendable>(
  _ scope: S,
  _ body: @Sendable (S.Value) async throws -> R
) async throws -> R? {
  // Inlinable, so that the untraced path is specialized for the caller's scope type.
  if Trace.mayBeActive { return try await withScopeMaybeTraced(scope, body) }
  return try await withUntracedScope(scope, body)
}

/// `a, b { body }`: the same as `a { b { body } }`.
public func withScope<A: AsyncScope, B: AsyncScope, R: Sendable>(
  _ outer: A,
  _ inner: B,
  _ body: @Sendable (A.Value, B.Value) async throws -> R
) async throws -> R? {
  let result = try await withScope(outer) { outerValue in
    try await withScope(inner) { innerValue in try await body(outerValue, innerValue) }
  }
  return result.flatMap { $0 }
}

func withTracedScope<S: AsyncScope, R: Sendable>(
  _ scope: S,
  frame: TraceFrame,
  _ body: @Sendable (S.Value) async throws -> R
) async throws -> R? {
  let identity = frame.tracer.nextIdentity(name: scope.traceName, depth: frame.depth)
  let scopeFrame = TraceFrame(tracer: frame.tracer, depth: frame.depth, scope: identity)
  let bodyFrame = TraceFrame(tracer: frame.tracer, depth: frame.depth + 1, scope: nil)
  let report = { @Sendable (kind: TraceEvent.Kind) in
    frame.tracer.record(kind, scope: identity, depth: frame.depth)
  }
  // `enter` and `exit` are reported as they begin, so what they do reads after them.
  report(.enter)
  let value: S.Value
  do {
    value = try await Trace.$frame.withValue(scopeFrame) { try await scope.enter() }
  } catch {
    report(.enterFailed(error: errorName(error)))
    throw error
  }
  let result: R
  do {
    result = try await Trace.$frame.withValue(bodyFrame) {
      try await scope.runBody(value, body)
    }
  } catch {
    return try await Trace.$frame.withValue(scopeFrame) {
      try await exitAfterFailure(scope, error, report: report)
    }
  }
  report(.exit(error: nil, expired: scope.exitFacts.expired))
  let decision: ExitDecision
  do {
    decision = try await Trace.$frame.withValue(scopeFrame) {
      try await exitUncancelled(scope, nil)
    }
  } catch {
    report(.exitDone(error: errorName(error), step: .raised(replacing: nil)))
    throw error
  }
  if case .convert(let replacement) = decision {
    // Nothing was in flight: converting is raising.
    report(.exitDone(error: errorName(replacement), step: .raised(replacing: nil)))
    throw replacement
  }
  report(.exitDone(error: nil, step: scope.exitFacts.expired == true ? .bodyFinished : nil))
  return result
}

/// Exit after the body threw: suppress, convert, replace, or let the error go on.
@usableFromInline
func exitAfterFailure<S: AsyncScope, R>(
  _ scope: S,
  _ error: any Error,
  report: (@Sendable (TraceEvent.Kind) -> Void)?
) async throws -> R? {
  report?(.exit(error: errorName(error), expired: scope.exitFacts.expired))
  let decision: ExitDecision
  do {
    decision = try await exitUncancelled(scope, error)
  } catch let exitError {
    report?(.exitDone(error: errorName(exitError), step: .raised(replacing: errorName(error))))
    throw ChainedError(exitError, context: error)
  }
  let step: TraceEvent.ExitStep?
  switch decision {
  case .convert(let replacement):
    report?(.exitDone(error: errorName(replacement), step: .converted))
    throw replacement
  case .suppress where !isCancellation(error):
    report?(.suppressed(error: errorName(error)))
    report?(.exitDone(error: nil, step: nil))
    return nil
  case .suppress:
    step = .suppressRefused
  case .propagate:
    step = report == nil ? nil : scope.exitFacts.passReason.map { .passedOn(because: $0) }
  }
  report?(.exitDone(error: errorName(error), step: step))
  throw error
}

/// Calls exit with what it needs to know; in an uncancelled task if this one is
/// cancelled (W5).
@usableFromInline
func exitUncancelled<S: AsyncScope>(_ scope: S, _ error: (any Error)?) async throws
  -> ExitDecision
{
  if Task.isCancelled {
    let context = ExitContext(error: error, callerCancelled: true)
    return try await withUncancelledTask { try await scope.exit(context) }
  }
  return try await scope.exit(ExitContext(error: error, callerCancelled: false))
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
