/// The async scope protocol: Swift's counterpart of Python's `__aenter__` / `__aexit__`.
///
/// A scope is entered once with ``enter()``; if that succeeds, ``exit(_:)`` runs exactly
/// once, whatever way the body ends. Use ``withScope(_:_:)`` rather than calling the two
/// yourself: it implements every rule of the protocol (W1-W6).
public protocol AsyncScope: Sendable {
  /// What entering produces: the `as value` of `async with scope as value`.
  associatedtype Value: Sendable = Void

  /// The name shown in the trace: `timeout`, `runner`, `process`, or a user's name.
  var traceName: String { get }

  /// Enters the scope. All-or-nothing: if it throws, it has undone its own changes (W1).
  func enter() async throws -> Value

  /// Exits the scope, seeing the body's error or `nil` on success.
  ///
  /// - Returns: `true` to ask that `error` be suppressed. Ignored on success and for a
  ///   cancellation the scope did not cause (W3, W4).
  /// - Throws: an error that replaces the one in flight (W3).
  func exit(_ error: (any Error)?) async throws -> Bool

  /// Runs the body between enter and exit. Scopes that supervise their body (``Timeout``
  /// runs it in a task of its own) override this; the default calls it directly.
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
