/// The name a scope has in the trace: `timeout`, `runner`, `process`, a user's name.
///
/// The built-in scopes have one; a scope that does not adopt this protocol is traced
/// by its type's name.
public protocol TraceNamed {
  /// The name shown in the trace; events number it: `timeout#2`.
  var traceName: String { get }
}

/// Facts a scope adds to its `exit` trace event: a timeout's.
protocol ExitFactsReporting {
  /// Asked as exit begins and again when it has returned.
  var exitFacts: ExitFacts { get }
}

/// Facts a scope adds to its `exit` trace event.
struct ExitFacts: Sendable, Equatable {
  /// For a timeout: whether its deadline fired while it was active.
  var expired: Bool?
  /// For a timeout, asked after exit: why its expired deadline let a cancellation go on.
  var passReason: TraceEvent.PassReason?
}
