import AsyncScope

/// `predict`, and what a run adds at its end: the prediction's verdict and the lesson's.
extension Session {
  /// Outcomes a learner is likely to predict, for "did you mean" and for the case of
  /// the letters (`predict timeouterror` means `TimeoutError`).
  static let knownOutcomes = [
    "ok", "TimeoutError", "CancellationError", "KeyboardInterrupt", "KeyError", "ValueError",
    "EnterError", "ExitError", "SIGTERM", "SIGHUP",
  ]

  /// The program a bare `run` runs: the one `edit` gave, or the open step's.
  var currentProgram: String? {
    if let edited = editedProgram, edited.position == lessons.position { return edited.source }
    return lessons.currentProgram
  }

  func predict(_ rest: String) -> CommandResult {
    let words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
    guard words.count == 1, let word = words.first else {
      return fail("usage: predict OUTCOME (ok, TimeoutError, KeyError, KeyboardInterrupt, ...)")
    }
    if let known = Self.knownOutcomes.first(where: { $0.lowercased() == word.lowercased() }) {
      prediction = known
    } else {
      guard LessonParser.isOutcomeName(word) else {
        return fail(
          "'\(word.echoed(limit: 40))' is not an outcome: ok, an error name "
            + "(TimeoutError, KeyError, ...) or KeyboardInterrupt")
      }
      if let near = Suggestion.nearest(to: word, in: Self.knownOutcomes) {
        return fail("no outcome '\(word.echoed(limit: 40))' - did you mean '\(near)'?")
      }
      prediction = word
    }
    output.write("prediction: \(prediction ?? word) - now 'run' and see\n")
    return .done
  }

  /// After a run in the REPL: the prediction's verdict, then what the open lesson says.
  func finishRun(isStepProgram: Bool) {
    var lines: [String] = []
    var verdict: (predicted: String, held: Bool)?
    if let predicted = prediction {
      prediction = nil
      let outcome = RunFacts(lastRun).outcome
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
        lines.append("  look at: " + (look ?? RunFacts(lastRun).lookAt))
      }
    }
    lines += lessons.runFinished(
      events: lastRun, isStepProgram: isStepProgram, prediction: verdict)
    if !lines.isEmpty { output.write(lines.joined(separator: "\n") + "\n") }
  }
}

/// What the end of a run's trace says, for the prediction's verdict.
struct RunFacts {
  let events: [TraceEvent]

  init(_ events: [TraceEvent]) {
    self.events = events
  }

  /// The outcome: `ok`, an error name, `KeyboardInterrupt` or a stop signal.
  var outcome: String {
    for event in events.reversed() {
      if case .result(let outcome, _, _, _) = event.kind { return outcome }
    }
    return "none"
  }

  /// Where the trace shows why: the line that decided the outcome.
  var lookAt: String {
    for event in events {
      switch event.kind {
      case .exitDone(_, let step?):
        let id = event.scope?.id ?? "the scope"
        let time = formatSeconds(event.time, digits: 3)
        switch step {
        case .converted: return "the exit of \(id) at \(time): it turned the cancellation into TimeoutError"
        case .suppressRefused: return "the exit of \(id) at \(time): its suppress was refused"
        case .raised: return "the exit of \(id) at \(time): its exit raised"
        case .passedOn: continue
        case .bodyFinished: return "the exit of \(id) at \(time): the body finished after the deadline"
        }
      case .enterFailed(let error):
        return "the enter of \(event.scope?.id ?? "a scope") at \(formatSeconds(event.time, digits: 3)): it failed with \(error)"
      case .suppressed(let error):
        return "the exit of \(event.scope?.id ?? "a scope") at \(formatSeconds(event.time, digits: 3)): it suppressed \(error)"
      case .interrupt(let signal, _):
        return "the interrupt at \(formatSeconds(event.time, digits: 3)): \(signal) cancelled the run"
      default:
        continue
      }
    }
    return "the last line of the trace, and 'why' explains it"
  }
}
