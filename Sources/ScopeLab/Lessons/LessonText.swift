import AsyncScope

/// How lessons read at the prompt: the list, a step, a hint.
enum LessonText {
  /// `lessons`: each lesson with its number, id, title and `done/total`, a mark when finished;
  /// then `howToOpen` (in the REPL, the `lesson` command).
  static func list(
    _ lessons: [Lesson], progress: LessonProgress, open: String?,
    howToOpen: String = "'lesson N' or 'lesson NAME' opens one (and resumes where you left off)."
  ) -> String {
    guard !lessons.isEmpty else { return "no lessons\n" }
    let idWidth = lessons.map(\.id.count).max() ?? 0
    let titleWidth = min(44, lessons.map(\.title.count).max() ?? 0)
    var text = ""
    for (index, lesson) in lessons.enumerated() {
      let entry = progress[lesson.id]
      let done = lesson.steps.count { entry.completed.contains($0.id) }
      let total = lesson.steps.count
      let mark = open == lesson.id ? ">" : " "
      var line =
        "\(mark) " + String(index + 1).leftPadded(to: 2) + "  " + lesson.id.padded(to: idWidth)
      line += "  " + lesson.title.ellipsizedAtWords(toWidth: titleWidth).padded(toWidth: titleWidth)
      line += "  " + "\(done)/\(total)".leftPadded(to: 5)
      if done == total { line += "  finished" }
      text += line.trimmingTrailingSpaces() + "\n"
    }
    return text + howToOpen + "\n"
  }

  /// A step as `show` prints it: where it is, its prose, its program, its exercise and
  /// what to type next. Its after-run text (`### After the run`) only when `revealed`.
  ///
  /// Prose is rendered for `palette` (``ProseMarkdown``), a paragraph on one line: the
  /// session fits the text to the screen (``TextLayout``).
  ///
  /// The step's program is listed for `width` columns (``listing(_:width:)``).
  static func step(
    _ lesson: Lesson, _ number: Int, parameters: Parameters, solved: Bool, revealed: Bool = false,
    palette: Palette = .plain, width: Int = TextLayout.transcriptWidth
  ) -> String {
    let step = lesson.steps[number - 1]
    var text = "== \(lesson.id) \(number)/\(lesson.steps.count): \(step.title) ==\n"
    if !step.prose.isEmpty { text += "\n" + prose(step.prose, palette: palette) }
    if let program = step.program {
      text += "\n" + listing(program, width: width) + "\n"
      if let names = try? Program(parsing: program).parameterNames, !names.isEmpty {
        let values = names.compactMap { name in
          (try? parameters.value(name)).map { "$\(name) = \($0)" }
        }
        text += "\n  with " + values.joined(separator: ", ") + "\n"
      }
    }
    if let starter = step.starter {
      text += "\n" + TextLayout.indented(starter.text) + "\n"
    }
    if !step.afterProgram.isEmpty { text += "\n" + prose(step.afterProgram, palette: palette) }
    if revealed, !step.afterRun.isEmpty { text += "\n" + prose(step.afterRun, palette: palette) }
    switch step.exercise {
    case .predict?:
      text +=
        "\nExercise: predict the outcome. Type 'predict OUTCOME' (ok, TimeoutError, ...), then 'run'."
      text += solved ? " (solved)\n" : "\n"
    case .challenge(let challenge)?:
      text += "\nChallenge: " + ProseMarkdown.inline(challenge.goal, palette: palette)
      text += solved ? " (solved)\n" : "\n"
      if let starter = step.starter, step.check != nil {
        text +=
          "Write it with 'edit \(starter.language.rawValue)', then 'check' grades it: every rule"
          + " must hold.\n"
      } else {
        text += "Run your own program with 'run PROGRAM' (or 'edit'): its trace is checked.\n"
      }
    case nil:
      break
    }
    var next: [String] = []
    if step.program != nil { next.append("'run' runs it") }
    if let starter = step.starter {
      next.append("'run' runs it traced, 'edit \(starter.language.rawValue)' edits your copy")
    }
    if !step.hints.isEmpty { next.append("'hint' gives a hint") }
    next.append(number < lesson.steps.count ? "'next' goes on" : "'next' finishes the lesson")
    return text + "\n" + next.joined(separator: ", ") + ".\n"
  }

  /// A program as a step lists it, each line indented by four spaces: as written when
  /// every line fits `width` columns, else in its multi-line form, a statement a line
  /// (``Program/formatted(_:)``), which a terminal does not fold mid-word. (A program
  /// that does not parse stays as written.)
  static func listing(_ program: String, width: Int) -> String {
    var text = program
    let fits = program.split(separator: "\n").allSatisfy { 4 + String($0).displayWidth <= width }
    if !fits, let parsed = try? Program(parsing: program) {
      text = parsed.formatted(.multiline)
    }
    return TextLayout.indented(text)
  }

  /// `Hint 1/3: ...` on one line, for the session to fit to the screen.
  static func hint(_ text: String, number: Int, of count: Int, palette: Palette = .plain)
    -> String
  {
    "Hint \(number)/\(count): " + ProseMarkdown.inline(text, palette: palette) + "\n"
  }

  /// A step's after-run text as its first run prints it, after the verdict: a blank
  /// line, then the text as `show` prints it. Empty when the step has none.
  static func afterRun(_ step: LessonStep, palette: Palette = .plain) -> String {
    step.afterRun.isEmpty ? "" : "\n" + prose(step.afterRun, palette: palette)
  }

  /// Prose as the terminal shows it (``ProseMarkdown``): a paragraph on one line, each
  /// fenced block indented instead of fenced.
  static func prose(_ lines: [String], palette: Palette = .plain) -> String {
    ProseMarkdown.render(lines, palette: palette)
  }
}
