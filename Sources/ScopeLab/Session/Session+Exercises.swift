import AsyncScope

/// `predict`, and what a run adds at its end: the prediction's verdict and the lesson's.
extension Session {
  /// The scope program a bare `run` runs: the one `edit` gave, or the open step's; `nil`
  /// when there is none, or the current program is real code (``current``).
  var currentProgram: String? {
    if case .scope(let source)? = current { return source }
    return nil
  }

  func predict(_ word: String) -> CommandResult {
    // The names the open program uses are outcomes it may end with (`throw timeout`).
    var outcomes = PredictedOutcome.known
    if let source = currentProgram, let program = try? Program(parsing: source) {
      outcomes += ProgramWalker.names(in: program)
    }
    if let known = PredictedOutcome.known.first(where: { $0.lowercased() == word.lowercased() }) {
      prediction = known
    } else {
      if let problem = PredictedOutcome.misnamed(word, among: outcomes) { return fail(problem) }
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
