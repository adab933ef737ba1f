/// The async scope protocol: Swift's counterpart of Python's `__aenter__` / `__aexit__`.
///
/// A scope is entered once with ``enter()``; if that succeeds, ``exit(_:)`` runs exactly
/// once, whatever way the body ends. Use ``withScope(_:_:)`` rather than calling the two
/// yourself: it implements every rule of the protocol (W1-W6).
///
/// Python's `__aexit__(exc_type, exc, tb)` sees the error in flight and answers with a
/// truthy value to suppress it, or raises to replace it. Swift's exit sees a little more
/// and can say a little more:
///
/// - It receives an ``ExitContext``: the body's error (or `nil`), and whether the calling
///   task is cancelled. Swift cancellation is a flag on the task, not an exception, so a
///   body that ignored it can return normally while its caller is cancelled; the context
///   is how exit learns that (a process scope then tears its child down).
/// - It returns an ``ExitDecision``: let the error go on, suppress it, or convert it into
///   another error, as a timeout turns the cancellation it caused into `TimeoutError`.
/// - Throwing still means what raising in `__aexit__` means: the new error replaces the
///   one in flight, which is kept as its context (W3).
///
/// ```swift
/// final class Stopwatch: AsyncScope {
///   let traceName = "stopwatch"
///   func enter() async throws -> ContinuousClock.Instant { .now }
///   func exit(_ context: ExitContext) async throws -> ExitDecision {
///     print(context.error == nil ? "done" : "failed")
///     return .propagate
///   }
/// }
/// ```
public protocol AsyncScope: Sendable {
  /// What entering produces: the `as value` of `async with scope as value`.
  associatedtype Value: Sendable = Void

  /// The name shown in the trace: `timeout`, `runner`, `process`, or a user's name.
  var traceName: String { get }

  /// Enters the scope. All-or-nothing: if it throws, it has undone its own changes (W1).
  func enter() async throws -> Value

  /// Exits the scope, once, however the body ended (W2).
  ///
  /// When the caller is already cancelled, ``withScope(_:_:)`` calls exit in a task that
  /// is not, so cleanup can await (W5); `context.callerCancelled` still says so.
  ///
  /// - Parameter context: the body's error, or `nil` after a normal end, and whether the
  ///   calling task is cancelled.
  /// - Returns: what becomes of the body's outcome. ``ExitDecision/propagate`` lets it go
  ///   on; ``ExitDecision/suppress`` asks that the error be dropped (ignored on success,
  ///   refused for a cancellation: W3, W4); ``ExitDecision/convert(to:)`` replaces the
  ///   outcome with another error, keeping nothing of the old one.
  /// - Throws: an error that replaces the one in flight, which it keeps as context (W3).
  func exit(_ context: ExitContext) async throws -> ExitDecision

  /// Runs the body between enter and exit. Scopes that supervise their body override it
  /// (``Timeout`` runs it in a task of its own, ``TaskGroupScope`` among its tasks); the
  /// default calls it directly.
  func runBody<R: Sendable>(
    _ value: Value,
    _ body: @Sendable (Value) async throws -> R
  ) async throws -> R

  /// Extra facts the trace shows for this scope's `exit` event (a timeout's `expired`),
  /// asked as exit begins and again when it has returned.
  var exitFacts: ExitFacts { get }
}

extension AsyncScope {
  @inlinable
  public func runBody<R: Sendable>(
    _ value: Value,
    _ body: @Sendable (Value) async throws -> R
  ) async throws -> R {
    try await body(value)
  }

  public var exitFacts: ExitFacts { ExitFacts() }
}

/// What a scope's exit is told: how the body ended, and whether the caller is cancelled.
public struct ExitContext: Sendable {
  /// The body's error, or `nil` when it returned normally (W3).
  public let error: (any Error)?
  /// Whether the task that runs the scope was cancelled when the body ended (Ctrl-C, an
  /// enclosing timeout). It can be `true` with a `nil` error: a body that never checked
  /// its cancellation returned normally all the same.
  public let callerCancelled: Bool

  @inlinable
  public init(error: (any Error)?, callerCancelled: Bool) {
    self.error = error
    self.callerCancelled = callerCancelled
  }

  /// Whether the body ended with a cancellation (possibly annotated).
  public var isCancellation: Bool { error.map { rootError($0) is CancellationError } ?? false }
}

/// What a scope's exit decides about the body's outcome.
public enum ExitDecision: Sendable {
  /// Let the outcome go on: the body's error is rethrown, its value returned.
  case propagate
  /// Drop the body's error; the code after the scope runs (`__aexit__` returning true).
  /// Ignored after a normal end; refused for a cancellation (W4).
  case suppress
  /// Replace the outcome with `error`, keeping nothing of the old one as context: a
  /// timeout turning the cancellation it caused into `TimeoutError` (TO3). After a normal
  /// end it is the same as throwing `error`.
  case convert(to: any Error)
}

/// Facts a scope adds to its `exit` trace event.
public struct ExitFacts: Sendable, Equatable {
  /// For a timeout: whether its deadline fired while it was active.
  public var expired: Bool?
  /// For a timeout, asked after exit: why its expired deadline let a cancellation go on.
  public var passReason: TraceEvent.PassReason?

  public init(expired: Bool? = nil, passReason: TraceEvent.PassReason? = nil) {
    self.expired = expired
    self.passReason = passReason
  }
}
