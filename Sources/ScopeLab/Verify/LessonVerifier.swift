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

  /// Which of verify's checks run: all of them for `scopelab verify`. The tests run the
  /// ``timed`` ones with nothing else beside them and the ``untimed`` ones beside other
  /// tests.
  struct Checks: OptionSet, Sendable {
    let rawValue: Int
    /// Whose verdict moves with lateness: the exercises' runs (a `predict:` race, a
    /// solution's `time:` windows), the example blocks' timings, and the snippets whose
    /// output holds a timing.
    static let timed = Checks(rawValue: 1)
    /// Whose verdict does not: what needs no run (names, hints, headings), the other
    /// checked snippets, and the real code's `check:`.
    static let untimed = Checks(rawValue: 2)
    static let all: Checks = [.timed, .untimed]
  }

  /// Every problem of `document`, in file order; none when the lesson holds. Programs
  /// that start processes run only as far as `consent` allows.
  public func verify(_ document: TranscriptDocument, consent: Consent) async -> [Problem] {
    await verify(document, consent: consent, checks: .all)
  }

  /// The problems `checks` find. What overlaps runs side by side: the python snippets (one
  /// after another, each under every interpreter at once) beside the real code's checks
  /// (they mostly wait); then the exercises, side by side; then the examples, whose timings
  /// are checked, with nothing else of the file beside them; and the swift snippets compile
  /// one at a time (a compile takes both cores of a small machine).
  func verify(_ document: TranscriptDocument, consent: Consent, checks: Checks) async
    -> [Problem]
  {
    let file = document.name
    func problem(_ line: Int?, _ message: String) -> Problem {
      Problem(file: file, line: line, message: message)
    }
    let timed = checks.contains(.timed)
    let untimed = checks.contains(.untimed)
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
      var problems = await interpretedSnippetProblems(document, consent: consent, checks: checks)
      if timed { problems += await exampleProblems(document, consent: consent) }
      problems += await compiledSnippetProblems(document, consent: consent, checks: checks)
      return problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
    }
    let lesson: Lesson
    do {
      lesson = try LessonParser.lesson(from: document)
    } catch {
      return [problem(error.line, error.message)]
    }
    var problems: [Problem] = []
    if untimed {
      problems += Self.headingsMissingTheirSpace(in: document).map {
        problem($0, "a heading needs a space after '##': this line is prose, not a step")
      }
      problems += Self.nearMissAfterRunHeadings(in: document).map {
        problem(
          $0,
          "a near miss of '\(LessonParser.afterRunHeading)': this line is prose, shown before"
            + " any run - write the heading exactly so")
      }
      problems += Self.staticProblems(of: lesson).map { problem($0.line, $0.message) }
    }
    async let interpreted = interpretedSnippetProblems(document, consent: consent, checks: checks)
    async let realCode = untimed ? Self.realCodeProblems(lesson, consent: consent) : []
    problems += await interpreted + realCode
    if timed {
      // The exercises side by side (their programs mostly sleep).
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
    }
    problems += await compiledSnippetProblems(document, consent: consent, checks: checks)
    return problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
  }
}
