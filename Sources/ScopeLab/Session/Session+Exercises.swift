import AsyncScope

/// `predict`, and what a run adds at its end: the prediction's verdict and the lesson's.
extension Session {
  /// Outcomes a learner is likely to predict, for "did you mean" and for the case of
  /// the letters (`predict timeouterror` means `TimeoutError`).
  static let knownOutcomes = [
    "ok", "TimeoutError", "CancellationError", "KeyboardInterrupt", "KeyError", "ValueError",
    "EnterError", "ExitError", "SIGTERM", "SIGHUP",
  ]

  /// What a learner may write for an outcome that no run is named by: Python's names and
  /// plain words (lowercased), each with the outcome it means (nil: none) and why.
  static let outcomeAliases: [String: (outcome: String?, why: String)] = {
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
  /// plain word for one (``outcomeAliases``), or one a few edits away. Nil when `word` is
  /// one of `outcomes`, or a name of no known outcome (an error a program may throw).
  /// `predict` and the lesson verifier both ask this.
  static func misnamedOutcome(_ word: String, among outcomes: [String]) -> String? {
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
      outcomeAliases[word.lowercased()]
      ?? Suggestion.nearest(to: word, in: Array(outcomeAliases.keys)).flatMap { outcomeAliases[$0] }
    guard let alias else { return nil }
    guard let outcome = alias.outcome else { return "\(shown): \(alias.why)" }
    return "\(shown) - did you mean '\(outcome)'? (\(alias.why))"
  }

  /// The program a bare `run` runs: the one `edit` gave, or the open step's.
  var currentProgram: String? {
    if let edited = editedProgram, edited.position == lessons.position { return edited.source }
    return lessons.currentProgram
  }

  func predict(_ word: String) -> CommandResult {
    // The names the open program uses are outcomes it may end with (`throw timeout`).
    var outcomes = Self.knownOutcomes
    if let source = currentProgram, let program = try? Program(parsing: source) {
      outcomes += ProgramWalker.names(in: program)
    }
    if let known = Self.knownOutcomes.first(where: { $0.lowercased() == word.lowercased() }) {
      prediction = known
    } else {
      if let problem = Self.misnamedOutcome(word, among: outcomes) { return fail(problem) }
      guard LessonParser.isOutcomeName(word) else {
        return fail(
          "'\(word.echoed(limit: 40))' is not an outcome: ok, an error name "
            + "(TimeoutError, KeyError, ...) or KeyboardInterrupt")
      }
      prediction = word
    }
    say("prediction: \(prediction ?? word) - now 'run' and see\n")
    return .done
  }

  /// After a run in the REPL: the prediction's verdict, then what the open lesson says.
  func finishRun(isStepProgram: Bool) {
    var lines: [String] = []
    var verdict: (predicted: String, held: Bool)?
    if let predicted = prediction {
      prediction = nil
      let outcome = lastRun.outcome ?? "none"
      let held = outcome == predicted
      verdict = (predicted, held)
      if held {
        lines.append(palette.good("prediction held"))
      } else {
        lines.append(palette.error("prediction did not hold: the outcome was \(outcome)"))
        var look: String?
        if isStepProgram, case .predict(_, let stepLook)? = lessons.currentExercise {
          look = stepLook
        }
        // What to look at: the step's own pointer, or the rule that decided the run.
        if let look {
          lines.append("  look at: " + look)
        } else {
          lines.append("  why: " + OutcomeExplanation.explain(lastRun).summary)
        }
      }
    }
    lines += lessons.runFinished(
      events: lastRun, isStepProgram: isStepProgram, prediction: verdict,
      timing: challengeTiming())
    if !lines.isEmpty { say(lines.joined(separator: "\n") + "\n") }
  }
}
