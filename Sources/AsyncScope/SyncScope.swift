/// A synchronous scope: Python's plain `with` (`__enter__` / `__exit__`).
///
/// Its enter and exit cannot suspend, which is exactly why Swift's `defer` is enough for
/// it and not for ``AsyncScope``. Any synchronous scope can also be used where an async
/// one is expected, through ``AsyncScope`` conformance on the scope type itself.
public protocol SyncScope: Sendable {
  /// What entering produces: the `as value` of `with scope as value`.
  associatedtype Value: Sendable = Void
  /// Enters the scope; if it throws, it has undone its own changes (W1).
  func enterNow() throws -> Value
  /// Exits the scope, seeing the body's error or `nil`. It decides as an async scope's
  /// exit does (``ExitDecision``); there is no cancellation to be told about, since
  /// nothing here can suspend.
  func exitNow(_ error: (any Error)?) throws -> ExitDecision
}

/// Runs `body` inside a synchronous scope: `with scope as value: body`.
///
/// Follows the same rules as `withScope`: exit runs exactly once after a
/// successful enter, sees the body's error, may suppress it, convert it or replace it.
@discardableResult
public func withSyncScope<S: SyncScope, R>(
  _ scope: S,
  _ body: (S.Value) throws -> R
) throws -> R? {
  let value = try scope.enterNow()
  let result: R
  do {
    result = try body(value)
  } catch {
    let decision: ExitDecision
    do {
      decision = try scope.exitNow(error)
    } catch let exitError {
      // Thrown as it is; a traced run keeps the error it replaced beside it.
      Trace.exitReplaced(error, with: exitError)
      throw exitError
    }
    return try settle(decision, after: error, Unobserved()) { nil }
  }
  try settle(scope.exitNow(nil), Unobserved())
  return result
}
