import AsyncScope

/// How a run ends, as a learner names it: `predict OUTCOME`, a lesson's `predict:`
/// exercise, completion.
enum PredictedOutcome {
  /// Outcomes a learner is likely to predict, for "did you mean" and for the case of
  /// the letters (`predict timeouterror` means `TimeoutError`).
  static let known = [
    "ok", "TimeoutError", "CancellationError", "KeyboardInterrupt", "KeyError", "ValueError",
    "EnterError", "ExitError", "SIGTERM", "SIGHUP",
  ]

  /// What a learner may write for an outcome that no run is named by: Python's names and
  /// plain words (lowercased), each with the outcome it means (nil: none) and why.
  static let aliases: [String: (outcome: String?, why: String)] = {
    let cancelled = "Swift's name for asyncio's CancelledError"
    let timeout = "what a timeout whose deadline passed raises"
    let interrupt = "how a run stopped by Ctrl-C ends"
    let group =
      "a failing group rethrows its first error (asyncio's raises ExceptionGroup);"
      + " predict that error"
    var aliases: [String: (outcome: String?, why: String)] = [
      "exceptiongroup": (nil, group),
      "baseexceptiongroup": (nil, group),
    ]
    let cancelledWords = [
      "cancellederror", "asyncio.cancellederror", "cancelederror", "cancelled", "canceled",
      "cancel", "cancellation",
    ]
    for word in cancelledWords { aliases[word] = ("CancellationError", cancelled) }
    for word in ["timeout", "timedout", "deadline", "asyncio.timeouterror"] {
      aliases[word] = ("TimeoutError", timeout)
    }
    for word in ["interrupt", "interrupted", "ctrl-c", "ctrlc", "sigint"] {
      aliases[word] = ("KeyboardInterrupt", interrupt)
    }
    return aliases
  }()

  /// Why `word` cannot be how a run ends, and what the learner likely meant, if they likely
  /// meant something else: an outcome of `outcomes` in other letters' case, a Python name or
  /// plain word for one (``aliases``), or one a few edits away. Nil when `word` is
  /// one of `outcomes`, or a name of no known outcome (an error a program may throw).
  /// `predict` and the lesson verifier both ask this.
  static func misnamed(_ word: String, among outcomes: [String]) -> String? {
    guard !outcomes.contains(word) else { return nil }
    let shown = "no outcome '\(word.echoed(limit: 40))'"
    if let same = outcomes.first(where: { $0.lowercased() == word.lowercased() }) {
      return "\(shown) - did you mean '\(same)'?"
    }
    if let near = Suggestion.nearest(to: word, in: outcomes) {
      return "\(shown) - did you mean '\(near)'?"
    }
    // A Python name or plain word, or one misspelled (`CancelledErorr`).
    let alias =
      aliases[word.lowercased()]
      ?? Suggestion.nearest(to: word, in: Array(aliases.keys)).flatMap { aliases[$0] }
    guard let alias else { return nil }
    guard let outcome = alias.outcome else { return "\(shown): \(alias.why)" }
    return "\(shown) - did you mean '\(outcome)'? (\(alias.why))"
  }
}
