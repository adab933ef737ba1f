import AsyncScope
import LineEditor

/// `scopelab verify FILE.md...`: everything the built-in lessons' tests check, for any
/// lesson (a file that is no lesson has its examples checked). The file parses; every step has a program; every `predict:` is the outcome the
/// step's program gives with the step's values; every `solution:` solves its challenge and
/// the step's own program does not; outcome names are real; each step with a program has
/// the hints the guide asks for; the example blocks pass `replay --check`; a `##Heading`
/// missing its space, and a near miss of `### After the run`, are named; each checked
/// snippet prints what its output block says (``CheckedSnippet``, run in
/// `LessonVerifier+Snippets.swift`). Each problem is one `FILE:LINE: problem`.
public struct LessonVerifier: Sendable {
  /// Widens the late side of the example blocks' timing windows (`--slack F`).
  public var slack: Double
  /// The interpreters each ```` ```python check ```` snippet runs under; a problem names
  /// the one that failed when there are several (the tests add `python3.12`, `python3.13`).
  public var pythons: [String]
  /// How long a python snippet, or a compiled swift snippet, may run before it is stopped.
  public var snippetTimeout: Duration
  /// The clock the steps' programs and solutions run on: the continuous clock, or a
  /// test's that the test moves. (The example blocks are checked on the continuous clock:
  /// their times are compared with the windows written.)
  public var clock: any Clock<Duration> = ContinuousClock()

  public init(
    slack: Double = 1, pythons: [String] = ["python3"], snippetTimeout: Duration = .seconds(10)
  ) {
    self.slack = max(1, slack)
    self.pythons = pythons.isEmpty ? ["python3"] : pythons
    self.snippetTimeout = snippetTimeout
  }

  /// One thing wrong with a lesson, where it is.
  public struct Problem: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String
    /// A note, not a problem: something verify could not check yet, and says so (a Swift
    /// solution while `check` grades Python only). It does not fail the lesson.
    public var isNote = false

    /// `lesson.md:12: predicts ok, but the step's program ends with TimeoutError`.
    public var description: String {
      "\(file.controlCharactersEscaped)\(line.map { ":\($0)" } ?? ""): \(message)"
    }
  }

  /// `scopelab verify FILE...`: each file verified, its problems one per line on `output`,
  /// `ok FILE` when it has none, then a count. Exit status: 0 clean, 1 a problem found,
  /// 2 a file that cannot be read (or whose runs were not agreed to).
  ///
  /// A lesson file is someone else's code: what it would start is listed and asked first
  /// (`confirm`), unless `trust` or it is a built-in lesson as shipped.
  public func run(
    files: [String], trust: Bool, output: any TextOutput, errors: any TextOutput,
    confirm: TranscriptTrust.Confirm
  ) async -> Int32 {
    guard !files.isEmpty else {
      errors.write("error: verify needs a lesson file (verify my-lesson.md)\n")
      return 2
    }
    var clean = 0
    var failed = 0
    var unreadable = 0
    for file in files {
      let bytes: [UInt8]
      do {
        bytes = try RegularFile.read(file, limit: RegularFile.textLimit, noun: "a lesson")
      } catch {
        errors.write("error: \(file.controlCharactersEscaped): \(error)\n")
        unreadable += 1
        continue
      }
      guard let text = String(validating: bytes, as: UTF8.self) else {
        errors.write("error: \(file.controlCharactersEscaped): not UTF-8 text: is this a lesson?\n")
        unreadable += 1
        continue
      }
      let document: TranscriptDocument
      do {
        document = try TranscriptDocument(parsing: text, name: file)
      } catch {
        output.write(
          Problem(file: file, line: error.line, message: error.message).description + "\n")
        failed += 1
        continue
      }
      if let warning = document.cutShortWarning { errors.write(warning + "\n") }
      guard
        let consent = await TranscriptTrust.consent(
          for: Self.concerns(in: document), file: file,
          trusted: trust || TranscriptTrust.isBuiltInLesson(document), action: "Verify it?",
          confirm: confirm, errors: errors)
      else {
        unreadable += 1
        continue
      }
      let found = await verify(document, consent: consent)
      let problems = found.filter { !$0.isNote }
      for note in found where note.isNote {
        errors.write("note: \(note.description)\n")
      }
      if problems.isEmpty {
        output.write("ok \(file.controlCharactersEscaped)\n")
        clean += 1
      } else {
        output.write(problems.map { $0.description + "\n" }.joined())
        failed += 1
      }
    }
    let count = clean + failed
    output.write(
      "\(count) lesson\(count == 1 ? "" : "s") verified, \(failed) with problems"
        + (unreadable > 0 ? ", \(unreadable) not read" : "") + "\n")
    return unreadable > 0 ? 2 : failed > 0 ? 1 : 0
  }

  /// What a lesson file would run when verified, for consent: the programs of its steps
  /// and the solutions of its challenges that start processes, and what its example
  /// blocks would run.
  public static func concerns(in document: TranscriptDocument) -> [TranscriptTrust.Concern] {
    var concerns = TranscriptTrust.concerns(in: document)
    // Checked snippets start python3 or swiftc: each listed whole.
    for snippet in CheckedSnippet.all(in: document).snippets {
      concerns.append(
        TranscriptTrust.Concern(
          item: snippet.consentItem, place: "line \(snippet.line)", command: "verify",
          source: "the ```\(snippet.kind.rawValue) snippet"))
    }
    guard let lesson = try? LessonParser.lesson(from: document) else { return concerns }
    var seen = Set(concerns.map(\.item))
    for (index, step) in lesson.steps.enumerated() {
      let lines = Self.stepLines(index, of: lesson)
      var programs: [(String, String, Int)] = []
      if let program = step.program {
        programs.append((program, "the program of step \(index + 1)", step.lineNumber))
      }
      if case .challenge(let challenge)? = step.exercise, let solution = challenge.solution {
        let line = Self.keyLine("solution", in: lines, of: document) ?? step.lineNumber
        programs.append((solution, "the solution of step \(index + 1)", line))
      }
      // Real code: the starter runs (and `check` grades it), and so does the solution.
      for (code, role) in [(step.starter, "starter"), (step.solution, "solution")] {
        guard let code else { continue }
        let item = Consent.Item.code(language: code.language, source: code.text)
        guard seen.insert(item).inserted else { continue }
        concerns.append(
          TranscriptTrust.Concern(
            item: item, place: "line \(code.line)", command: "verify",
            source: "the \(code.language.rawValue) \(role) of step \(index + 1)"))
      }
      for (program, source, line) in programs {
        guard let parsed = try? Program(parsing: program), ProgramWalker.startsProcesses(parsed),
          seen.insert(.run(program)).inserted
        else { continue }
        concerns.append(
          TranscriptTrust.Concern(
            item: .run(program), place: "line \(line)", command: "verify", source: source))
      }
    }
    return concerns
  }

  /// Every problem of `document`, in file order; none when the lesson holds. Programs
  /// that start processes run only as far as `consent` allows.
  public func verify(_ document: TranscriptDocument, consent: Consent) async -> [Problem] {
    var found = await verifyProblems(document, consent: consent)
    if Lesson.isLesson(document), let lesson = try? LessonParser.lesson(from: document) {
      found += await Self.realCodeProblems(lesson, consent: consent)
      found.sort { ($0.line ?? 0) < ($1.line ?? 0) }
    }
    return found
  }

  private func verifyProblems(_ document: TranscriptDocument, consent: Consent) async
    -> [Problem]
  {
    let file = document.name
    func problem(_ line: Int?, _ message: String) -> Problem {
      Problem(file: file, line: line, message: message)
    }
    // A file that is no lesson (a recording, a guide) holds examples: they must check.
    guard Lesson.isLesson(document) else {
      let snippets = CheckedSnippet.all(in: document)
      guard
        document.blocks.contains(where: { !$0.commands.isEmpty }) || !snippets.snippets.isEmpty
          || !snippets.problems.isEmpty
      else {
        return [
          problem(
            1,
            "neither a lesson (its front matter has no 'id') nor a transcript with a"
              + " ```scopelab example or a checked snippet to check (see Lessons/README.md)")
        ]
      }
      return await exampleProblems(document, consent: consent)
        + snippetProblems(document, consent: consent)
    }
    let lesson: Lesson
    do {
      lesson = try LessonParser.lesson(from: document)
    } catch {
      return [problem(error.line, error.message)]
    }
    var problems = Self.headingsMissingTheirSpace(in: document).map {
      problem($0, "a heading needs a space after '##': this line is prose, not a step")
    }
    problems += Self.nearMissAfterRunHeadings(in: document).map {
      problem(
        $0,
        "a near miss of '\(LessonParser.afterRunHeading)': this line is prose, shown before"
          + " any run - write the heading exactly so")
    }
    problems += Self.staticProblems(of: lesson).map { problem($0.line, $0.message) }
    // The exercises side by side (their programs mostly sleep), then the examples: the
    // examples' timings are checked, so they do not share the machine with the rest.
    problems += await withTaskGroup(of: [Problem].self) { group in
      for index in lesson.steps.indices {
        group.addTask {
          await Self.exerciseProblems(lesson, step: index, consent: consent, clock: clock).map {
            problem($0.line, $0.message)
          }
        }
      }
      return await group.reduce(into: [Problem]()) { $0 += $1 }
    }
    problems += await exampleProblems(document, consent: consent)
    problems += await snippetProblems(document, consent: consent)
    return problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
  }

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
