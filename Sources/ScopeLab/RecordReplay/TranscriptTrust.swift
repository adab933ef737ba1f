import AsyncScope
import Lessons

/// A transcript is someone else's code: everything replaying it could do that starts a
/// process or writes a file, found before anything runs, so the person can be asked once.
///
/// Consent is decided from what the replay could execute, not from the command words:
/// - a program typed after `run`, or a line that is a program;
/// - a bare `run`: the program of every step of every lesson the replay could open (the
///   file itself when it is a lesson, the front matter's `lesson:`, each `lesson NAME`) -
///   and a bare `run` or `check` the real code of each such step (its starter);
/// - `compare` (always: it runs python3), with its program, or bare, with every program it
///   could pick up (a step's, or one run before);
/// - `edit`, `record FILE`, and `replay FILE` - with what that file would do in turn.
///
/// Each program is listed whole. The list over-approximates; the session enforces it
/// (``Consent``), so whatever the analysis could miss is refused, never run. Nothing is
/// ever run through a shell: a process's arguments go to the program as they are.
public enum TranscriptTrust {
  /// Asks the person at the terminal `question`; `nil` when there is no terminal to ask.
  public typealias Confirm = @Sendable (_ question: String) async -> Bool?

  /// One thing that needs consent, and where the file asks for it.
  public struct Concern: Sendable, Equatable, CustomStringConvertible {
    public let item: Consent.Item
    /// Where it comes from: `line 12`, or `other.md line 3` inside a replayed file.
    public let place: String
    /// The command as typed, on one line.
    public let command: String
    /// Where a bare `run` or `compare` gets its program: `the program of process-scope
    /// step 2`.
    public let source: String?

    /// `line 12: run - starts a process, the program of process-scope step 2: process
    /// sleep 10 { wait }` on one line (the question shows programs whole, over several).
    public var description: String { line(programLimit: nil) }

    /// `description` with the program cut to `programLimit` characters (`nil`: whole).
    func line(programLimit: Int?) -> String {
      let shown = command.echoed(limit: 60)
      // The program, unless the command already shows all of it.
      let program = item.program.flatMap { program in
        source == nil && shown == command.controlCharactersEscaped ? nil : program
      }
      let text = program.map { program in
        programLimit.map { program.oneLine.echoed(limit: $0) }
          ?? program.oneLine.controlCharactersEscaped
      }
      return "\(place): \(shown) - \(item.effect)" + (source.map { ", \($0)" } ?? "")
        + (text.map { ": \($0)" } ?? "")
    }

    /// The entry in the question: its first line, then the program whole, indented.
    var listed: String {
      var text = "  \(place): \(command.echoed(limit: 60)) - \(item.effect)"
      text += source.map { ", \($0)" } ?? ""
      guard let program = item.program else { return text + "\n" }
      text += ":\n"
      for line in program.split(separator: "\n", omittingEmptySubsequences: false) {
        text += "      " + String(line).controlCharactersEscaped + "\n"
      }
      return text
    }
  }

  /// Everything in `document` that needs consent, in file order, each thing once.
  public static func concerns(in document: TranscriptDocument) -> [Concern] {
    var analysis = Analysis()
    analysis.visit(document, label: nil, depth: 0)
    return analysis.concerns
  }

  /// The refusal when there is no terminal to ask: what the file would do, and how to
  /// trust it.
  public static func refusal(file: String, concerns: [Concern]) -> String {
    // One line: each program cut short (a starter is a whole file); the question at a
    // terminal shows them whole.
    let first = concerns.prefix(3).map { $0.line(programLimit: 60) }.joined(separator: "; ")
    let more = concerns.count > 3 ? "; and \(concerns.count - 3) more" : ""
    return
      "\(file.controlCharactersEscaped) would run commands that need your consent (\(first)\(more))"
      + " and there is no terminal to ask: read the file, then replay it with --trust"
  }

  /// The question at a terminal, listing every such thing, each program whole.
  public static func question(
    file: String, concerns: [Concern], action: String = "Replay it?"
  ) -> String {
    var text = "\(file.controlCharactersEscaped) would run:\n"
    for concern in concerns { text += concern.listed }
    return text + action + " [y/N] "
  }

  /// What may run: everything when `trusted`; nothing needs asking when `concerns` is
  /// empty; otherwise what the person agrees to when asked - every concern, or `nil` when
  /// they say no or there is no terminal to ask (the refusal is written to `errors`).
  public static func consent(
    for concerns: [Concern], file: String, trusted: Bool, action: String = "Replay it?",
    confirm: Confirm, errors: any TextOutput
  ) async -> Consent? {
    if trusted { return .everything }
    guard !concerns.isEmpty else { return .nothing }
    guard let answer = await confirm(question(file: file, concerns: concerns, action: action))
    else {
      errors.write("error: \(refusal(file: file, concerns: concerns))\n")
      return nil
    }
    guard answer else {
      errors.write("error: \(file.controlCharactersEscaped): nothing run, as you said no\n")
      return nil
    }
    return Consent(concerns.map(\.item))
  }

  /// Whether `document` is one of the lessons built into scopelab, byte for byte: those
  /// are the project's own, checked in CI, and trusted like the binary itself.
  static func isBuiltInLesson(_ document: TranscriptDocument) -> Bool {
    let text = document.text
    return LessonFiles.all.contains { $0.text == text }
  }

  /// The walk over a file and the files it opens.
  private struct Analysis {
    var concerns: [Concern] = []
    private var seen: Set<Consent.Item> = []
    private var visited: Set<String> = []

    /// Nested replays deeper than this are not followed: the session refuses what they
    /// would run, as it refuses anything not listed.
    static let deepest = 8

    mutating func visit(_ document: TranscriptDocument, label: String?, depth: Int) {
      let commands = document.blocks.flatMap(\.commands).compactMap { command in
        let parsed = Command.parse(command.text)
        return parsed == .empty ? nil : (command: command, parsed: parsed)
      }
      // The lessons a bare `run` or `compare` could take its program from.
      var lessons: [Lesson] = []
      if Lesson.isLesson(document), let lesson = try? LessonParser.lesson(from: document) {
        lessons.append(lesson)
      }
      let folder = document.folder
      if let name = document.frontMatter?["lesson"] {
        lessons += Self.lessons(named: name, in: folder)
      }
      for case (_, .command(.lesson(let name?))) in commands {
        lessons += Self.lessons(named: name, in: folder)
      }
      let stepPrograms = lessons.flatMap { lesson in
        lesson.steps.enumerated().compactMap { index, step in
          step.program.map { ($0, "the program of \(lesson.id) step \(index + 1)") }
        }
      }
      // Real code a bare `run` traces and `check` grades: each step's starter.
      let stepCode = lessons.flatMap { lesson in
        lesson.steps.enumerated().compactMap { index, step in
          step.starter.map {
            ($0, "the \($0.language.rawValue) starter of \(lesson.id) step \(index + 1)")
          }
        }
      }
      let typedPrograms = commands.compactMap { _, parsed in
        if case .command(.run(let program?)) = parsed { program } else { nil }
      }

      for (command, parsed) in commands {
        let place = (label.map { "\($0) " } ?? "") + "line \(command.lineNumber)"
        let typed = command.lines.joined(separator: " ")
        func add(_ item: Consent.Item, from source: String? = nil) {
          guard seen.insert(item).inserted else { return }
          concerns.append(Concern(item: item, place: place, command: typed, source: source))
        }
        // A command whose arguments do not fit is refused before it could act, and needs
        // no consent - but `record`, which the session checks the consent of first.
        switch parsed {
        case .command(.run(let program?)):
          if Self.startsProcesses(program) { add(.run(program)) }
        case .command(.run(nil)):
          for (program, source) in stepPrograms where Self.startsProcesses(program) {
            add(.run(program), from: source)
          }
          for (code, source) in stepCode {
            add(.code(language: code.language, source: code.text), from: source)
          }
        case .command(.check):
          for (code, source) in stepCode {
            add(.code(language: code.language, source: code.text), from: source)
          }
        case .command(.compare(let program?)):
          add(.compare(program))
        case .command(.compare(nil)):
          for (program, source) in stepPrograms { add(.compare(program), from: source) }
          for program in typedPrograms { add(.compare(program), from: "a program run before") }
        case .command(.edit): add(.edit)
        case .command(.record(let record)) where record.action != .stop:
          add(.record(record.arguments))
        case .invalid(let problem) where problem.name == .record:
          add(.record(problem.arguments))
        case .command(.replay(let replay)):
          add(.replay(replay.arguments))
          guard depth < Self.deepest else { continue }
          let file = TranscriptDocument.path(replay.file, in: folder)
          guard visited.insert(file).inserted else { continue }
          guard let nested = try? TranscriptDocument(contentsOf: file) else { continue }
          visit(nested, label: file.controlCharactersEscaped, depth: depth + 1)
        default: break
        }
      }
    }

    /// Whether `source` parses to a program that starts a process.
    static func startsProcesses(_ source: String) -> Bool {
      guard let program = try? Program(parsing: source) else { return false }
      return ProgramWalker.startsProcesses(program)
    }

    /// The lesson `lesson NAME` would open, as the lesson guide finds it: a file, a
    /// built-in lesson's number or id, or one opened from a file before.
    static func lessons(named name: String, in folder: String) -> [Lesson] {
      let name = name.trimmingSpaces()
      if LessonGuide.namesFile(name) {
        return (try? Lesson(contentsOf: TranscriptDocument.path(name, in: folder))).map { [$0] }
          ?? []
      }
      let catalog = LessonCatalog.builtIn
      if let number = Int(name) {
        return catalog.lessons.indices.contains(number - 1) ? [catalog.lessons[number - 1]] : []
      }
      return catalog.lesson(name).map { [$0] } ?? []
    }
  }
}
