public import AsyncScope

/// What a run or a check adds while a lesson is open: the verdict, and the step counted.
extension LessonGuide {
  /// What a run in the REPL adds when a lesson is open: the exercise's verdict, and the
  /// step counted as done. `isStepProgram` says whether the step's own program ran.
  public mutating func runFinished(
    events: [TraceEvent], isStepProgram: Bool, prediction: (predicted: String, held: Bool)?,
    timing: ChallengeTiming
  ) -> [String] {
    guard let (lesson, step) = open else { return [] }
    let before = progress
    let current = lesson.steps[step - 1]
    let wasRevealed = isRevealed(lesson, step)
    // Kept with the progress, so the text stays shown in later sessions and a recording
    // replays as it was made; only for steps that have such a text.
    if isStepProgram, !current.afterRun.isEmpty {
      progress[key(of: lesson)].ran.insert(current.id)
    }
    var lines: [String] = []
    switch current.exercise {
    case nil:
      markCompleted(lesson, step)
    case .predict(let answer, _):
      guard isStepProgram else { break }
      guard let prediction else {
        if !isSolved(lesson, step) {
          lines.append("(this step asks for a prediction first: 'predict OUTCOME', then 'run')")
        }
        break
      }
      if prediction.held && prediction.predicted == answer {
        lines.append(solve(lesson, step))
      } else if prediction.held {
        lines.append(
          "(your values gave a different outcome from the step's: 'reset', predict again "
            + "and 'run' to solve the exercise)")
      }
    case .challenge where current.check != nil:
      // Solved by `check` on the learner's code, not by a run.
      if !isSolved(lesson, step) {
        lines.append("(this challenge is solved by 'check': it grades your code against the rules)")
      }
    case .challenge(let challenge):
      let missed = timing.missed(challenge, in: events, verdict: Self.notSolved)
      if missed.isEmpty {
        lines.append("challenge solved")
        lines.append(solve(lesson, step))
      } else if !isSolved(lesson, step) {
        // Once solved, other runs in the step are the learner's own experiments.
        lines += Self.notSolved(missed)
      }
    }
    // Most runs change nothing: the file is written only when they do.
    lines += progress == before ? [] : save()
    // The step's after-run text, once: after the first run of its program, or the run
    // that solved it.
    return lines + afterRunLines(lesson, step, wasRevealed: wasRevealed)
  }

  /// What `check` on the learner's code adds when the open step's challenge is solved by
  /// it (`check:` with `challenge:`): the verdict, and the step solved when every rule held.
  public mutating func checkFinished(passed: Bool) -> [String] {
    guard let (lesson, step) = open else { return [] }
    let current = lesson.steps[step - 1]
    guard case .challenge? = current.exercise, current.check != nil else { return [] }
    let wasRevealed = isRevealed(lesson, step)
    guard passed else {
      return isSolved(lesson, step) ? [] : ["challenge not solved: a rule is broken (above)"]
    }
    let before = progress
    var lines = ["challenge solved", solve(lesson, step)]
    lines += progress == before ? [] : save()
    return lines + afterRunLines(lesson, step, wasRevealed: wasRevealed)
  }

  /// The step's after-run text, once: when it was not shown before and now is (its
  /// program ran, or it was solved).
  private func afterRunLines(_ lesson: Lesson, _ step: Int, wasRevealed: Bool) -> [String] {
    let current = lesson.steps[step - 1]
    guard !wasRevealed, isRevealed(lesson, step), !current.afterRun.isEmpty else { return [] }
    return LessonText.afterRun(current, palette: palette).split(
      separator: "\n", omittingEmptySubsequences: false
    )
    .dropLast().map(String.init)
  }

  /// The lines a challenge not solved is shown as; "challenge solved" for no misses.
  static func notSolved(_ missed: [String]) -> [String] {
    missed.isEmpty ? ["challenge solved"] : ["challenge not solved:"] + missed.map { "  - " + $0 }
  }
}
