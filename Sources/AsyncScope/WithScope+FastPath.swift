import Synchronization

/// The untraced path of ``withScope(_:_:)``: enter, body, exit, with every W rule.
///
/// Inlinable so that a caller in another module gets it specialized for its scope type:
/// a trivial scope then costs a few direct calls, with no generic dispatch.
@inlinable
func withUntracedScope<S: AsyncScope, R: Sendable>(
  _ scope: S,
  _ body: @Sendable (S.Value) async throws -> R
) async throws -> R? {
  let value = try await scope.enter()
  let result: R
  do {
    result = try await scope.runBody(value, body)
  } catch {
    return try await exitAfterFailure(scope, error, report: nil)
  }
  let decision: ExitDecision
  if Task.isCancelled {
    decision = try await exitUncancelled(scope, nil)
  } else {
    decision = try await scope.exit(ExitContext(error: nil, callerCancelled: false))
  }
  // Nothing was in flight: converting is raising; a suppress is ignored.
  if case .convert(let replacement) = decision { throw replacement }
  return result
}

/// `withScope` while some tracer is running: traced if this task is inside its run.
@usableFromInline
func withScopeMaybeTraced<S: AsyncScope, R: Sendable>(
  _ scope: S,
  _ body: @Sendable (S.Value) async throws -> R
) async throws -> R? {
  guard let frame = Trace.currentFrame else { return try await withUntracedScope(scope, body) }
  return try await withTracedScope(scope, frame: frame, body)
}

extension Trace {
  /// Whether any tracer is running: one relaxed atomic load. While it is false,
  /// ``withScope(_:_:)`` skips the task-local lookup of the trace frame.
  @usableFromInline
  static var mayBeActive: Bool { activeTracers.load(ordering: .relaxed) != 0 }
}
