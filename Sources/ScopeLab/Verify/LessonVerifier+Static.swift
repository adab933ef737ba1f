import AsyncScope
import LineEditor

/// What `verify` finds with no run: headings, the steps' shape, outcome names, and where
/// a step's keys are.
extension LessonVerifier {
  // MARK: - What needs no run

  /// `##Heading` outside a fence: meant as a step, read as prose.
  static func headingsMissingTheirSpace(in document: TranscriptDocument) -> [Int] {
    document.linesOutsideFences().filter { _, line in
      guard line.hasPrefix("##"), let next = line.dropFirst(2).first else { return false }
      return next != " " && next != "#"
    }.map(\.number)
  }

  /// Headings meant as `### After the run` that are not it, outside fences: another case
  /// or level (`### after the run`, `## After the run`, which makes a step), other words
  /// (`### After run`, `### After running it`), a missing space.
  static func nearMissAfterRunHeadings(in document: TranscriptDocument) -> [Int] {
    var lines: [Int] = []
    let wanted = "after the run"
    for (number, line) in document.linesOutsideFences() {
      guard line.hasPrefix("#"), !LessonParser.isAfterRunHeading(line) else { continue }
      let level = line.prefix { $0 == "#" }.count
      let list = line.dropFirst(level).lowercased().split { !$0.isLetter }
      let words = list.joined(separator: " ")
      let near = Suggestion.editDistance(words, wanted) <= 2
      // `### After running it`, `### After the first run`; not `### After the runner
      // stops`, nor a step's title (`## After running out of time`).
      let alike =
        level >= 3 && list.count <= 4 && list.first == "after"
        && list.contains { ["run", "runs", "running"].contains($0) }
      if near || alike { lines.append(number) }
    }
    return lines
  }

  /// Steps with no program, too few or repeated hints, outcome names that are a near miss
  /// of a real one.
  static func staticProblems(of lesson: Lesson) -> [(line: Int, message: String)] {
    var problems: [(line: Int, message: String)] = []
    let real = realOutcomes(of: lesson)
    for (index, step) in lesson.steps.enumerated() {
      let lines = stepLines(index, of: lesson)
      let name = "step \(index + 1) (\(step.title.echoed(limit: 40)))"
      guard step.program != nil || step.starter != nil else {
        problems.append(
          (
            step.lineNumber,
            "\(name) has no program for 'run' to run (a ```scope block, or a ```python starter)"
          ))
        continue
      }
      if step.hints.count < 2 {
        problems.append(
          (
            keyLine("hint", in: lines, of: lesson.document) ?? step.lineNumber,
            "\(name) has \(step.hints.count) hint\(step.hints.count == 1 ? "" : "s"):"
              + " a step with a program has at least two, each saying more than the last"
          ))
      }
      if Set(step.hints).count < step.hints.count {
        problems.append(
          (
            keyLine("hint", in: lines, of: lesson.document) ?? step.lineNumber,
            "\(name) repeats a hint"
          ))
      }
      let named: (key: String, value: String)? =
        switch step.exercise {
        case .predict(let answer, _)?: ("predict", answer)
        case .challenge(let challenge)?: challenge.outcome.map { ("outcome", $0) }
        case nil: nil
        }
      if let (key, value) = named, let problem = PredictedOutcome.misnamed(value, among: real) {
        problems.append(
          (keyLine(key, in: lines, of: lesson.document) ?? step.lineNumber, "\(key): \(problem)"))
      }
    }
    return problems
  }

  /// The outcomes a run of this lesson can end with: the built-in ones and every error
  /// its programs throw.
  static func realOutcomes(of lesson: Lesson) -> [String] {
    var names = PredictedOutcome.known
    var programs = lesson.steps.compactMap(\.program)
    for step in lesson.steps {
      if case .challenge(let challenge)? = step.exercise, let solution = challenge.solution {
        programs.append(solution)
      }
    }
    for source in programs {
      guard let program = try? Program(parsing: source) else { continue }
      names += ProgramWalker.names(in: program).filter { !names.contains($0) }
    }
    return names
  }

  // MARK: - Lines

  /// The line numbers of step `index`: from its heading to the next one.
  static func stepLines(_ index: Int, of lesson: Lesson) -> Range<Int> {
    let start = lesson.steps[index].lineNumber
    let end =
      index + 1 < lesson.steps.count
      ? lesson.steps[index + 1].lineNumber : lesson.document.lines.count + 1
    return start..<end
  }

  /// The first line in `lines` that starts `key:`: where a step block says it.
  static func keyLine(_ key: String, in lines: Range<Int>, of document: TranscriptDocument)
    -> Int?
  {
    lines.first { document.line($0).trimmingSpaces().hasPrefix(key + ":") }
  }
}
