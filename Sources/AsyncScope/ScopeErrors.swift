/// An error that tells the trace its name itself, when its type's name is not it: the
/// scope programs' `throw KeyError`, for one.
package protocol SelfNamedError: Error {
  /// The name the error is thrown, caught and traced by: `KeyError`.
  var name: String { get }
}

/// A timeout's deadline passed and cancelled its body (TO3).
public struct TimeoutError: Error, Equatable, CustomStringConvertible {
  /// The timeout's duration as written; `nil` for none (`inf`).
  public let limit: Duration?
  /// How long the scope had been active when its deadline fired.
  public let elapsed: Duration
  /// Whether `reschedule` moved the deadline after enter.
  public let rescheduled: Bool

  public init(limit: Duration?, elapsed: Duration, rescheduled: Bool = false) {
    self.limit = limit
    self.elapsed = elapsed
    self.rescheduled = rescheduled
  }

  /// `timeout(2s) expired after 2.000s`, `timeout(2s, rescheduled) expired after 0.700s`.
  public var description: String {
    // No limit and never rescheduled: an absolute deadline (`Timeout(at:)`).
    let what =
      switch (limit, rescheduled) {
      case (nil, false): "timeout"
      case (let limit, _):
        "timeout(\(limit.map(formatDuration) ?? "inf")\(rescheduled ? ", rescheduled" : ""))"
      }
    return "\(what) expired after \(formatSeconds(elapsed, digits: 3))"
  }
}

/// Misuse of a scope: entered twice, or a timeout changed in the wrong state (W6, TO8).
///
/// Named `RuntimeError` in the trace, as asyncio names the same mistakes.
public struct ScopeUsageError: Error, Equatable, CustomStringConvertible {
  /// What went wrong, in asyncio's words: "Timeout has not been entered".
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}

/// Whether `error` is a cancellation.
@usableFromInline
func isCancellation(_ error: any Error) -> Bool {
  error is CancellationError
}

/// The name the trace uses for an error: `TimeoutError`, `KeyError`, `CancellationError`.
package func errorName(_ error: any Error) -> String {
  switch error {
  case let named as any SelfNamedError: named.name
  case is TimeoutError: "TimeoutError"
  case is CancellationError: "CancellationError"
  case is ScopeUsageError: "RuntimeError"
  case let process as ProcessSpawnError: process.name
  // A raw identifier (`struct `my-error`: Error {}`) is described in backticks.
  case let other: String(describing: type(of: other)).filter { $0 != "`" }
  }
}

/// A one-line description: "KeyError", "TimeoutError: timeout(2s) expired after 2.001s".
/// (`ErrorChain` adds what a traced run knows around it.)
package func describeError(_ error: any Error, withMessage: Bool = true) -> String {
  let name = errorName(error)
  guard withMessage else { return name }
  switch error {
  case let timeout as TimeoutError: return "\(name): \(timeout)"
  case let usage as ScopeUsageError: return "\(name): \(usage.message)"
  case let spawn as ProcessSpawnError: return "\(name): \(spawn.message)"
  default: return name
  }
}
