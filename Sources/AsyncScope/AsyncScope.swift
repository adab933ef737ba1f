/// The async scope protocol: Swift's counterpart of Python's `__aenter__` / `__aexit__`.
///
/// A scope is entered once with ``enter()``; if that succeeds, ``exit(_:)`` runs exactly
/// once, whatever way the body ends. Use `withScope` rather
/// than calling the two yourself: it implements every rule of the protocol (W1-W6).
///
/// Python's `__aexit__(exc_type, exc, tb)` sees the error in flight and answers with a
/// truthy value to suppress it, or raises to replace it. Swift's exit sees a little more
/// and can say a little more:
///
/// - It receives an ``ExitContext``: what ``enter()`` produced, the body's error (or
///   `nil`), and whether the calling task is cancelled. Whatever enter started (a child
///   process, a connection) reaches exit in the context's ``ExitContext/value``: a scope
///   needs no lock to carry it. Swift cancellation is a flag on the task, not an
///   exception, so a body that ignored it can return normally while its caller is
///   cancelled; the context is how exit learns that (a process scope then tears its
///   child down).
/// - It returns an ``ExitDecision``: let the error go on, suppress it, or convert it into
///   another error, as a timeout turns the cancellation it caused into `TimeoutError`.
/// - Throwing still means what raising in `__aexit__` means: the new error replaces the
///   one in flight (W3). The caller catches the new error as it is; a traced run tells
///   what it replaced ("exit raised ExitError, replacing KeyError").
///
/// ```swift
/// struct Stopwatch: AsyncScope {
///   func enter() async throws -> ContinuousClock.Instant { .now }
///   func exit(_ context: ExitContext<ContinuousClock.Instant>) async throws -> ExitDecision {
///     print(context.error == nil ? "done" : "failed", context.value.duration(to: .now))
///     return .propagate
///   }
/// }
/// ```
public protocol AsyncScope: Sendable {
  /// What entering produces: the `as value` of `async with scope as value`. The body
  /// receives it, and so does ``exit(_:)``, in its context.
  associatedtype Value: Sendable = Void

  /// Enters the scope. All-or-nothing: if it throws, it has undone its own changes (W1).
  func enter() async throws -> Value

  /// Exits the scope, once, however the body ended (W2).
  ///
  /// When the caller is already cancelled, `withScope` calls exit in a task that is not,
  /// so cleanup can await (W5); `context.callerCancelled` still says so.
  ///
  /// - Parameter context: what enter produced, the body's error, or `nil` after a normal
  ///   end, and whether the calling task is cancelled.
  /// - Returns: what becomes of the body's outcome. ``ExitDecision/propagate`` lets it go
  ///   on; ``ExitDecision/suppress`` asks that the error be dropped (ignored on success,
  ///   refused for a cancellation: W3, W4); ``ExitDecision/convert(to:)`` replaces the
  ///   outcome with another error, keeping nothing of the old one.
  /// - Throws: an error that replaces the one in flight (W3), thrown to the caller as it
  ///   is.
  func exit(_ context: ExitContext<Value>) async throws -> ExitDecision
}

/// A scope that supervises its body: runs it in a task of its own (``Timeout``, whose
/// deadline cancels only the body) or among other tasks (``TaskGroupScope``).
///
/// Since the body runs in another task than the caller's, it must be `@Sendable` here,
/// unlike the body of any other scope, which runs in the caller's task and isolation.
/// `withScope` picks the overload for these scopes from the scope's static type; in code
/// generic over ``AsyncScope``, entering one fails with ``ScopeUsageError``.
public protocol SupervisingScope: AsyncScope {
  /// Runs the body between enter and exit, and returns once it has ended.
  func runBody<R: Sendable>(
    _ value: Value,
    _ body: @Sendable (Value) async throws -> R
  ) async throws -> R
}

/// What a scope's exit is told: what enter produced, how the body ended, and whether
/// the caller is cancelled.
public struct ExitContext<Value: Sendable>: Sendable {
  /// What ``AsyncScope/enter()`` returned: what the scope set up, to undo here.
  public let value: Value
  /// The body's error, or `nil` when it returned normally (W3).
  public let error: (any Error)?
  /// Whether the task that runs the scope was cancelled when the body ended (Ctrl-C, an
  /// enclosing timeout). It can be `true` with a `nil` error: a body that never checked
  /// its cancellation returned normally all the same.
  public let callerCancelled: Bool

  @inlinable
  public init(value: Value, error: (any Error)?, callerCancelled: Bool) {
    self.value = value
    self.error = error
    self.callerCancelled = callerCancelled
  }

  /// Whether the body ended with a cancellation.
  public var isCancellation: Bool { error.map { $0 is CancellationError } ?? false }
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
