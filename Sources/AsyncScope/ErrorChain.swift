/// What a traced run knows about an error in flight beyond the error itself: the error it
/// replaced, a note on when it happened, the failures that lost to it.
///
/// The library throws every error as it is, so `catch is KeyError` matches it as in any
/// Swift code; the trace keeps this account beside it instead (in an `ErrorLane`), for
/// the run's last line: "ExitError during handling of KeyError", "CleanupError (timeout
/// expired at 0.03s)", "KeyError, and 1 more: ValueError".
package indirect enum ErrorChain: Sendable {
  /// An error with nothing more known about it.
  case plain(any Error)
  /// `error` and its own account, with what it replaced (W3), a note (TO4), or the
  /// errors that happened alongside it and lost to it (a task group's other failures).
  case chained(ErrorChain, context: ErrorChain?, note: String?, others: [ErrorChain])

  /// `error`, which replaced `replaced` (a scope's exit threw while it was in flight).
  package static func replacing(_ replaced: ErrorChain, with error: any Error) -> ErrorChain {
    .chained(.plain(error), context: replaced, note: nil, others: [])
  }

  /// The error in flight: what left the scope, and what a `catch` matched.
  package var error: any Error {
    switch self {
    case .plain(let error): error
    case .chained(let inner, _, _, _): inner.error
    }
  }

  /// This account with `note` added: "timeout expired at 0.50s".
  package func noting(_ note: String) -> ErrorChain {
    .chained(self, context: nil, note: note, others: [])
  }

  /// This account with the errors that lost to it: a task group's later failures.
  package func with(others: [ErrorChain]) -> ErrorChain {
    others.isEmpty ? self : .chained(self, context: nil, note: nil, others: others)
  }

  /// A one-line description: "ExitError during handling of KeyError",
  /// "TimeoutError: timeout(2s) expired after 2.001s", "KeyError, and 1 more: ValueError".
  package func description(withMessage: Bool = true) -> String {
    switch self {
    case .plain(let error):
      return describeError(error, withMessage: withMessage)
    case .chained(let inner, let context, let note, let others):
      var text = inner.description(withMessage: withMessage)
      if let note { text += " (\(note))" }
      if !others.isEmpty {
        let names = others.map { $0.description(withMessage: false) }
        text += ", and \(names.count) more: \(names.joined(separator: ", "))"
      }
      if let context {
        text += " during handling of \(context.description(withMessage: false))"
      }
      return text
    }
  }

  /// The error that `error` replaced, if any, described without messages: "KeyError".
  package var contextDescription: String? {
    switch self {
    case .plain: nil
    case .chained(let inner, let context, _, _):
      context.map { $0.description(withMessage: false) } ?? inner.contextDescription
    }
  }
}

/// The account of the error in flight along one line of a traced run: the run's own, and
/// each task of a task group's (they fail side by side). Scopes report to it as the error
/// goes (``ScopeTrace``, a timeout's note, a group's failures); whoever the error reaches
/// asks it what it knows (the enclosing scope, the run's `result`).
///
/// One error is in flight at a time along a line, so it keeps one account; an account
/// whose error has another name than the one asked about is stale (that error was caught)
/// and is not used.
final class ErrorLane: Sendable {
  private let kept = Locked<ErrorChain?>(nil)

  init() {}

  /// Keeps `chain` as the account of the error in flight.
  func keep(_ chain: ErrorChain) {
    kept.withLock { $0 = chain }
  }

  /// Nothing more is known about the error in flight: it was caught, suppressed, or
  /// converted into another.
  func forget() {
    kept.withLock { $0 = nil }
  }

  /// A scope's exit threw `error` while `replaced` was in flight (W3).
  func replace(_ replaced: any Error, with error: any Error) {
    keep(.replacing(chain(for: replaced), with: error))
  }

  /// `error` leaves with `note`: "timeout expired at 0.50s" (TO4).
  func note(_ note: String, about error: any Error) {
    keep(chain(for: error).noting(note))
  }

  /// What is known about `error`: the account kept for it, or the error alone.
  func chain(for error: any Error) -> ErrorChain {
    guard let chain = kept.withLock({ $0 }), errorName(chain.error) == errorName(error) else {
      return .plain(error)
    }
    return chain
  }
}
