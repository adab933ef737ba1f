import AsyncScope
import LineEditor

/// What `verify` finds by running: the steps' exercises, and the example blocks.
extension LessonVerifier {
  // MARK: - What needs a run

  /// A prediction that does not hold; a solution that does not solve, or a step program
  /// that already does.
  static func exerciseProblems(
    _ lesson: Lesson, step index: Int, consent: Consent,
    clock: any Clock<Duration> = ContinuousClock()
  ) async -> [(line: Int, message: String)] {
    let step = lesson.steps[index]
    let lines = stepLines(index, of: lesson)
    let document = lesson.document
    guard let program = step.program else { return [] }
    func run(_ source: String) async -> (outcome: String, events: [TraceEvent])? {
      let parameters = lesson.parameters(atStep: index + 1)
      guard let parsed = try? Program(parsing: source, checkedAgainst: parameters),
        !ProgramWalker.startsProcesses(parsed) || consent.allows(.run(source))
      else { return nil }
      let (outcome, events) = await parsed.runRecording(
        parameters: parameters, clock: clock, live: DiscardingSink())
      return (outcome.name, events)
    }
    let notRun = "not run: it starts a process, and that was not agreed to"
    switch step.exercise {
    case .predict(let answer, _)?:
      let line = keyLine("predict", in: lines, of: document) ?? step.lineNumber
      guard let result = await run(program) else { return [(line, notRun)] }
      guard result.outcome != answer else { return [] }
      return [(line, "predicts \(answer), but the step's program ends with \(result.outcome)")]
    case .challenge(let challenge)?:
      var problems: [(line: Int, message: String)] = []
      let line = keyLine("challenge", in: lines, of: document) ?? step.lineNumber
      if let solution = challenge.solution {
        let solutionLine = keyLine("solution", in: lines, of: document) ?? line
        // A busy machine runs the solution late: its `time:` windows' late edges move by
        // what a probe measured meanwhile (the step's own program below gets none).
        let probe = SchedulingProbe()
        probe.start()
        let solved = await run(solution)
        let allowance = SchedulingProbe.widening(forLateness: probe.stop())
        if let result = solved {
          let missed = challenge.missed(in: result.events, lateBy: allowance)
          if !missed.isEmpty {
            problems.append(
              (
                solutionLine,
                "the solution does not solve the challenge: "
                  + missed.joined(separator: "; ")
              ))
          }
        } else {
          problems.append((solutionLine, notRun))
        }
      } else {
        problems.append((line, "the challenge has no 'solution:' to show it can be solved"))
      }
      if let result = await run(program) {
        if challenge.missed(in: result.events).isEmpty {
          problems.append((line, "the step's own program already solves the challenge"))
        }
      } else {
        problems.append((step.lineNumber, notRun))
      }
      return problems
    case nil:
      return []
    }
  }

  /// The example blocks, checked as `replay --check` checks them: one problem per command
  /// whose output no longer matches.
  func exampleProblems(_ document: TranscriptDocument, consent: Consent) async -> [Problem] {
    guard document.blocks.contains(where: { !$0.commands.isEmpty }) else { return [] }
    do {
      let outcome = try await TranscriptCheck(slack: slack).run(document, consent: consent)
      var problems: [Problem] = []
      for command in outcome.commands where !command.match.isMatch || !command.promptMatches {
        let what =
          command.match.isMatch
          ? "typed behind '\(command.command.prompt.controlCharactersEscaped)', but the prompt"
            + " was '\(command.prompt.controlCharactersEscaped)'"
          : "the example's output does not match what the command prints now"
            + " (replay --check shows the difference)"
        problems.append(
          Problem(file: document.name, line: command.command.lineNumber, message: what))
      }
      return problems
    } catch {
      return [Problem(file: document.name, line: error.line, message: error.message)]
    }
  }
}
