/// A synchronous scope: Python's plain `with` (`__enter__` / `__exit__`).
///
/// Its enter and exit cannot suspend, which is exactly why Swift's `defer` is enough for
/// it and not for ``AsyncScope``. Any synchronous scope can also be used where an async
/// one is expected, through ``AsyncScope`` conformance on the scope type itself.
public protocol SyncScope: Sendable {
  associatedtype Value: Sendable = Void
  var traceName: String { get }
  func enterNow() throws -> Value
  func exitNow(_ error: (any Error)?) throws -> Bool
}

/// Runs `body` inside a synchronous scope: `with scope as value: body`.
///
/// Follows the same rules as ``withScope(_:_:)``: exit runs exactly once after a
/// successful enter, sees the body's error, may suppress it or replace it.
public func withSyncScope<S: SyncScope, R>(
  _ scope: S,
  _ body: (S.Value) throws -> R
) throws -> R? {
  let value = try scope.enterNow()
  let result: R
  do {
    result = try body(value)
  } catch {
    let suppress: Bool
    do {
      suppress = try scope.exitNow(error)
    } catch let exitError {
      throw ChainedError(exitError, context: error)
    }
    if suppress && !(error is CancellationError) { return nil }
    throw error
  }
  _ = try scope.exitNow(nil)
  return result
}
