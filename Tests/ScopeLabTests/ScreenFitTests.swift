import AsyncScope
import TestSupport
import Testing

@testable import ScopeLab

/// Every screen of prose fits a 60-column terminal: each built-in lesson's steps as they
/// open and as `show` shows them, their hints, `why` after their programs run, `help` for
/// every command, statement and rule, `rules`, and errors. No word is broken: the words
/// are the ones the same text has at a width no line reaches.
///
/// What may be longer: a line of code or a program (indented by four spaces), and help's
/// `usage:` and `example:` lines, which hold syntax and a program - wrapping them would
/// change what they say; the terminal folds them.
@Suite("Screens that fit 60 columns", .serialized)
struct ScreenFitTests {
  static let width = 60

  /// A line that may be longer than the screen.
  static func isCode(_ line: Substring) -> Bool {
    line.hasPrefix("    ") || line.hasPrefix("usage: ") || line.hasPrefix("example: ")
  }

  /// The lines of `text` wider than the screen, but for code.
  static func overlong(_ text: String) -> [String] {
    text.split(separator: "\n").filter { !isCode($0) && String($0).displayWidth > width }
      .map(String.init)
  }

  static func words(_ text: String) -> [String] {
    text.split(whereSeparator: \.isWhitespace).map(String.init)
  }

  /// Runs `commands` in a session at 60 columns and in one no line reaches; checks each
  /// command's output fits and has the same words.
  static func check(
    _ commands: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) async {
    let narrow = SessionHarness(textWidth: width)
    let wide = SessionHarness(textWidth: 100_000)
    for command in commands {
      let fitted = await narrow.execute(command)
      let unfitted = await wide.execute(command)
      // A run's trace, timeline and audit line are not prose (a log, read and searched
      // line by line, and a picture at its own width): what follows them is.
      let prose =
        command.hasPrefix("run")
        ? fitted.outputLines.drop { !$0.hasPrefix("audit: ") }.dropFirst()
          .joined(separator: "\n")
        : fitted.output
      #expect(
        overlong(prose).isEmpty, "\(command): \(overlong(prose))",
        sourceLocation: sourceLocation)
      // Runs differ (times, pids, which of two tasks failed first): why's words are those
      // of the explanation of this session's own run, unfitted.
      let expected =
        command == "why"
        ? OutcomeExplanation.explain(narrow.session.lastRun).text : unfitted.output
      if !command.hasPrefix("run") {
        #expect(
          words(fitted.output) == words(expected), "\(command) lost or broke a word",
          sourceLocation: sourceLocation)
      }
    }
  }

  @Test(
    "every step of every built-in lesson: opening, show, hints and why", .timeLimit(.minutes(3)))
  func lessons() async {
    for lesson in LessonCatalog.builtIn.lessons {
      var commands = ["lesson \(lesson.id)"]
      for (index, step) in lesson.steps.enumerated() {
        commands += ["step \(index + 1)", "show"]
        commands += Array(repeating: "hint", count: step.hints.count + 1)
        if step.program != nil { commands += ["run", "why"] }
      }
      await Self.check(commands)
    }
  }

  @Test("help for every command, statement and rule; rules; the lesson list")
  func help() async {
    let topics = CommandSpec.names + StatementHelp.topicNames + Rule.all.map(\.code)
    await Self.check(["help", "rules", "lessons", "params"] + topics.map { "help \($0)" })
  }

  @Test("the Last time: banner fits")
  func greeting() async throws {
    let harness = SessionHarness(textWidth: Self.width)
    _ = await harness.execute("lesson process-scope")
    _ = await harness.execute("step 3")
    let greeting = try #require(harness.session.lessonGreeting)
    #expect(greeting.displayWidth > Self.width, "the test needs a banner that must be wrapped")
    let fitted = harness.session.fitted(greeting)
    #expect(Self.overlong(fitted).isEmpty, "\(fitted)")
    #expect(Self.words(fitted) == Self.words(greeting))
  }

  @Test(
    "an error at a terminal is wrapped, its lines after the first indented; in a pipe, one line")
  func errors() async {
    let output = CapturedOutput()
    let errors = CapturedOutput()
    let session = Session(
      output: output, errors: errors, textWidth: { Self.width }, errorWidth: { Self.width })
    _ = await session.execute("help no-such-thing-at-all-anywhere")
    let lines = errors.text.split(separator: "\n").map(String.init)
    #expect(lines.count > 1, "\(errors.text)")
    #expect(lines.allSatisfy { $0.displayWidth <= Self.width }, "\(errors.text)")
    #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  ") && !$0.hasPrefix("   ") })
    let piped = SessionHarness(textWidth: Self.width)
    await piped.execute("help no-such-thing-at-all-anywhere").expectOneLineError()
  }

  @Test("while a transcript is recorded, prose is fitted to the replay's 80 columns")
  func recording() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-screens")
    let output = CapturedOutput()
    let errors = CapturedOutput()
    let session = Session(
      output: output, errors: errors, textWidth: { Self.width }, errorWidth: { Self.width })
    _ = await session.execute("help run")
    let atTheScreen = output.take()
    #expect(Self.overlong(atTheScreen).isEmpty, "\(atTheScreen)")
    let started = await session.startRecording(
      to: directory.path + "/session.md", force: false, overwriteHint: "")
    #expect(started == .done, "\(errors.text)")
    _ = output.take()
    _ = await session.execute("help run")
    let recorded = output.take()
    let widths = recorded.split(separator: "\n").filter { !Self.isCode($0) }
      .map { String($0).displayWidth }
    #expect(widths.allSatisfy { $0 <= 80 } && widths.contains { $0 > Self.width }, "\(recorded)")
    #expect(recorded == TextLayout.fit(recorded, width: 80, verbatim: Session.codeLabels))
    // An error is one line, as in the replay.
    _ = await session.execute("help no-such-thing-at-all-anywhere")
    #expect(errors.text.split(separator: "\n").count == 1, "\(errors.text)")
    session.finishRecording()
  }

  @Test("compare's table takes the screen's width")
  func compareTable() {
    let row = CompareRow([
      "t": .number(0), "event": .string("print"),
      "text": .string(String(repeating: "x", count: 90)), "id": .string(""),
    ])
    let comparison = TraceComparison(scopelab: [row], python: [row])
    for width in [60, 100] {
      let lines = comparison.render(width: width).split(separator: "\n").map(String.init)
      #expect(lines.allSatisfy { $0.displayWidth <= width }, "\(lines)")
      #expect(lines.contains { $0.displayWidth == width }, "a long row fills the width: \(lines)")
    }
  }
}
