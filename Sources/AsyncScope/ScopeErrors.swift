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

/// An error in flight together with what it replaced or what happened around it.
///
/// When a scope's exit throws while another error is in flight, the new error replaces
/// the old one, which is kept as ``context`` ("ExitError during handling of KeyError").
/// A body error raised after its timeout expired carries a ``note``. A task group's
/// first failure carries the later failures of its other tasks as ``others``
/// ("KeyError, and 1 more: ValueError"). Whatever it carries, ``error`` is what a
/// `catch NAME` matches.
public struct ChainedError: Error, CustomStringConvertible {
  /// The error in flight: what leaves the scope, and what a `catch NAME` matches.
  public let error: any Error
  /// The error that `error` replaced: the body's error when an exit threw (W3).
  public let context: (any Error)?
  /// What happened around `error`: "timeout expired at 0.50s" (TO4).
  public let note: String?
  /// Errors that happened alongside `error` and lost to it: a task group's other failures.
  public let others: [any Error]

  public init(
    _ error: any Error, context: (any Error)? = nil, note: String? = nil,
    others: [any Error] = []
  ) {
    self.error = error
    self.context = context
    self.note = note
    self.others = others
  }

  public var description: String { describeError(self) }
}

/// The innermost error: what a `catch NAME` matches and what the trace names.
public func rootError(_ error: any Error) -> any Error {
  var current = error
  while let chained = current as? ChainedError {
    current = chained.error
  }
  return current
}

/// Whether `error` is a cancellation (possibly annotated, never replaced).
public func isCancellation(_ error: any Error) -> Bool {
  rootError(error) is CancellationError
}

/// The name the trace uses for an error: `TimeoutError`, `KeyError`, `CancellationError`.
package func errorName(_ error: any Error) -> String {
  switch rootError(error) {
  case let named as any SelfNamedError: named.name
  case is TimeoutError: "TimeoutError"
  case is CancellationError: "CancellationError"
  case is ScopeUsageError: "RuntimeError"
  case let process as ProcessSpawnError: process.name
  // A raw identifier (`struct `my-error`: Error {}`) is described in backticks.
  case let other: String(describing: type(of: other)).filter { $0 != "`" }
  }
}

/// The error that `error` replaced, if any, named: "KeyError".
package func errorContextName(_ error: any Error) -> String? {
  guard let chained = error as? ChainedError else { return nil }
  if let context = chained.context { return describeError(context, withMessage: false) }
  return errorContextName(chained.error)
}

/// A one-line description: "ExitError during handling of KeyError",
/// "TimeoutError: timeout(2s) expired after 2.001s", "KeyError, and 1 more: ValueError".
package func describeError(_ error: any Error, withMessage: Bool = true) -> String {
  if let chained = error as? ChainedError {
    var text = describeError(chained.error, withMessage: withMessage)
    if let note = chained.note { text += " (\(note))" }
    if !chained.others.isEmpty {
      let names = chained.others.map { describeError($0, withMessage: false) }
      text += ", and \(names.count) more: \(names.joined(separator: ", "))"
    }
    if let context = chained.context {
      text += " during handling of \(describeError(context, withMessage: false))"
    }
    return text
  }
  let name = errorName(error)
  guard withMessage else { return name }
  switch error {
  case let timeout as TimeoutError: return "\(name): \(timeout)"
  case let usage as ScopeUsageError: return "\(name): \(usage.message)"
  case let spawn as ProcessSpawnError: return "\(name): \(spawn.message)"
  default: return name
  }
}
