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
/// change what they say; the terminal folds them. At a terminal (a `screenWidth`) code is
/// broken at spaces too, and a run's trace and audit are wrapped; in a pipe and while
/// recording they are not.
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

  /// A check report's words without the traces shown under broken rules: which round of
  /// a repeated rule (TO5's equal deadlines, ten rounds) breaks first, and so which trace
  /// is shown, differs from run to run. A trace runs from "the trace that broke it:" to
  /// the next verdict (`held`, `broken`) or the summary ("N of 13 rules broken").
  static func verdictWords(_ words: [String]) -> [String] {
    let traceStart = ["the", "trace", "that", "broke", "it:"]
    var kept: [String] = []
    var inTrace = false
    for (index, word) in words.enumerated() {
      if inTrace {
        let summary = word == "of" && words.dropFirst(index + 1).first == "rules"
        guard word == "held" || word == "broken" || summary else { continue }
        inTrace = false
      }
      if Array(words[index...].prefix(traceStart.count)) == traceStart {
        inTrace = true
        continue
      }
      kept.append(word)
    }
    return kept
  }

  /// Runs `commands` in a session at 60 columns and in one no line reaches; checks each
  /// command's output fits and has the same words.
  ///
  /// What is checked is the text, not when it comes: the sessions' programs run on clocks
  /// that move to each deadline as soon as it is waited for, so a `sleep 3` takes no time
  /// (a child process and a `busy` still take theirs).
  static func check(
    _ commands: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) async {
    let clocks = [ManualClock(), ManualClock()]
    let drivers = clocks.map { $0.advancing() }
    defer { for driver in drivers { driver.cancel() } }
    let narrow = SessionHarness(textWidth: width, clock: clocks[0])
    let wide = SessionHarness(textWidth: 100_000, clock: clocks[1])
    for command in commands {
      // Side by side: a child process and `busy` take real time, and each session runs on
      // its own.
      async let wideReply = wide.execute(command)
      let fitted = await narrow.execute(command)
      let unfitted = await wideReply
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
      // A step's program is listed for the width: a statement a line when it does not fit
      // on one (`programListing` checks it is the same program).
      var listed = expected
      if let program = narrow.session.lessons.currentProgram {
        listed = listed.replacing(
          TextLayout.indented(program), with: LessonText.listing(program, width: width))
      }
      if !command.hasPrefix("run") {
        #expect(
          words(fitted.output) == words(listed), "\(command) lost or broke a word",
          sourceLocation: sourceLocation)
      }
    }
  }

  @Test(
    "every step of every built-in lesson: opening, show, hints and why", .timeLimit(.minutes(3)))
  func lessons() async {
    // Every lesson at once, each in its own two sessions: their runs mostly sleep.
    await withTaskGroup(of: Void.self) { group in
      for lesson in LessonCatalog.builtIn.lessons {
        var commands = ["lesson \(lesson.id)"]
        for (index, step) in lesson.steps.enumerated() {
          commands += ["step \(index + 1)", "show"]
          commands += Array(repeating: "hint", count: step.hints.count + 1)
          if step.program != nil { commands += ["run", "why"] }
        }
        group.addTask { await Self.check(commands) }
      }
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

  /// Programs whose trace has lines longer than 60 columns: a timeout's conversion, a
  /// child's long output and its teardown under a runner (a long audit), a group's failure.
  static let longTraces = [
    "timeout 0.05 { sleep 3 }; print after",
    #"runner { timeout 0.3 { process sh -c "echo a line of output long enough to need a second line at sixty; sleep 5" { wait } } }"#,
    "scope Outermost { group { task { scope Cleanup(slow-exit=0.01) { sleep 3 } }; task { sleep 0.02; throw KeyError } } }",
  ]

  @Test(
    "at a 60-column terminal a run's trace, timeline and audit fit, hung under the text, every word whole",
    .timeLimit(.minutes(1)))
  func traceAtATerminal() async {
    for program in Self.longTraces {
      let harness = SessionHarness(textWidth: Self.width, screenWidth: Self.width)
      let run = await harness.execute("run " + program)
      let events = harness.session.lastRun
      let unwrapped = events.map(TraceLineFormatter().line(for:))
      #expect(
        unwrapped.contains { $0.displayWidth > Self.width },
        "the test needs a line to wrap: \(program)")
      let trace = run.traceLines
      #expect(trace.allSatisfy { $0.displayWidth <= Self.width }, "\(trace)")
      #expect(
        Self.words(trace.joined(separator: "\n")) == Self.words(unwrapped.joined(separator: "\n")))
      // Every line that is not an event's first is hung under its event's text: the time
      // column blank, the text starting after the time and the depth's indentation.
      var lines = trace[...]
      for (event, line) in zip(events, unwrapped) {
        let count = TraceLineFormatter().line(for: event, width: Self.width)
          .split(separator: "\n").count
        let wrapped = lines.prefix(count)
        lines = lines.dropFirst(count)
        #expect(wrapped.first.map { line.hasPrefix($0) } == true, "\(wrapped) for \(line)")
        let textColumn = line.dropFirst(10).prefix { $0 == " " }.count + 10
        for continuation in wrapped.dropFirst() {
          let indent = continuation.prefix { $0 == " " }.count
          #expect(indent == textColumn, "\(continuation) under \(line) (\(event.kind))")
        }
      }
      #expect(lines.isEmpty, "\(lines)")
      #expect(
        run.timelineLines.allSatisfy { $0.displayWidth <= Self.width }, "\(run.timelineLines)")
      // The audit too, its lines after the first under its text.
      let audit = run.outputLines.drop { !$0.hasPrefix("audit: ") }
      #expect(!audit.isEmpty && audit.allSatisfy { $0.displayWidth <= Self.width }, "\(audit)")
      #expect(audit.dropFirst().allSatisfy { $0.hasPrefix("       ") && !$0.hasPrefix("        ") })
      if program.hasPrefix("runner") { #expect(audit.count > 1, "\(audit)") }
      // `trace` shows the last run again, as it was shown.
      let again = await harness.execute("trace")
      #expect(again.outputLines == trace, "\(again.output)")
    }
  }

  @Test(
    "at a 60-column terminal check's verdicts and a run of real code fit; in a pipe, one line each",
    .timeLimit(.minutes(1)))
  func checkAtATerminal() async {
    // Lesson 8's third step: its starter breaks rules, so verdicts and traces are long.
    let terminal = SessionHarness(textWidth: Self.width, screenWidth: Self.width)
    let pipe = SessionHarness()
    _ = await terminal.execute("lesson your-own-timeout")
    _ = await terminal.execute("step 3")
    _ = await pipe.execute("lesson your-own-timeout")
    _ = await pipe.execute("step 3")
    // Side by side: each check runs CPython, which mostly waits on its rules' deadlines.
    async let checkedInThePipe = pipe.execute("check")
    let fitted = await terminal.execute("check")
    let unfitted = await checkedInThePipe
    #expect(fitted.outputLines.contains { $0.hasPrefix("broken  TO1") }, "\(fitted.output)")
    #expect(
      unfitted.outputLines.contains { $0.displayWidth > Self.width },
      "the test needs a line to wrap: \(unfitted.output)")
    #expect(
      fitted.outputLines.allSatisfy { $0.displayWidth <= Self.width }, "\(fitted.output)")
    // The same words in the same order; times and counts differ from run to run.
    // A run of the real code too: its trace and audit fit as a scope program's do.
    async let ranInThePipe = pipe.execute("run")
    let run = await terminal.execute("run")
    #expect(run.outputLines.contains { $0.hasPrefix("audit:") }, "\(run.output)")
    #expect(run.outputLines.allSatisfy { $0.displayWidth <= Self.width }, "\(run.output)")
    let piped = await ranInThePipe
    #expect(
      piped.outputLines.contains { $0.displayWidth > Self.width },
      "the test needs a line to wrap: \(piped.output)")
    let steady = { (text: String) in
      Self.verdictWords(Self.words(text).filter { !$0.contains(where: \.isNumber) })
    }
    #expect(steady(fitted.output) == steady(unfitted.output))
    // Every verdict kept, the traces between them left out (not everything after the first).
    let verdicts = steady(fitted.output).filter { $0 == "held" || $0 == "broken" }
    #expect(verdicts.count == 13 && verdicts.contains("broken"), "\(verdicts)")
  }

  @Test(
    "in a pipe and while a transcript is recorded, each trace event and the audit are one line",
    .timeLimit(.minutes(1)))
  func traceInAPipe() async throws {
    let piped = SessionHarness(textWidth: Self.width)
    let directory = try TemporaryDirectory(prefix: "scopelab-trace")
    let recording = SessionHarness(textWidth: Self.width, screenWidth: Self.width)
    let started = await recording.session.startRecording(
      to: directory.path + "/session.md", force: false, overwriteHint: "")
    #expect(started == .done)
    for harness in [piped, recording] {
      let run = await harness.execute("run " + Self.longTraces[1])
      let unwrapped = harness.session.lastRun.map(TraceLineFormatter().line(for:))
      #expect(unwrapped.contains { $0.displayWidth > Self.width })
      #expect(run.traceLines == unwrapped, "\(run.output)")
      #expect(run.auditLine.map { $0.displayWidth > Self.width } == true, "\(run.output)")
      #expect(await harness.execute("trace").outputLines == unwrapped)
    }
    recording.session.finishRecording()
  }

  @Test(
    "at a 60-column terminal every built-in step's show fits, programs and code too, every word whole",
    .timeLimit(.minutes(2)))
  func showAtATerminal() async {
    for lesson in LessonCatalog.builtIn.lessons {
      let terminal = SessionHarness(textWidth: Self.width, screenWidth: Self.width)
      // The same program listing (it is laid out for the width), code not broken.
      let piped = SessionHarness(textWidth: Self.width)
      _ = await terminal.execute("lesson \(lesson.id)")
      _ = await piped.execute("lesson \(lesson.id)")
      for index in lesson.steps.indices {
        for command in ["step \(index + 1)", "show"] {
          let shown = await terminal.execute(command)
          let lines = shown.outputLines.filter { $0.displayWidth > Self.width }
          #expect(lines.isEmpty, "\(lesson.id) \(command): \(lines)")
          let expected = await piped.execute(command)
          #expect(
            Self.words(shown.output) == Self.words(expected.output),
            "\(lesson.id) \(command) lost or broke a word")
        }
      }
    }
  }

  @Test("a step's program is listed on one line when it fits, else a statement a line")
  func programListing() throws {
    var longer = 0
    for lesson in LessonCatalog.builtIn.lessons {
      for step in lesson.steps {
        guard let source = step.program else { continue }
        let original = try Program(parsing: source)
        for width in [Self.width, 80] {
          let listing = LessonText.listing(source, width: width)
          let lines = listing.split(separator: "\n").map(String.init)
          #expect(
            lines.allSatisfy { $0.hasPrefix("    ") && $0.displayWidth <= width }, "\(listing)")
          let fits = source.split(separator: "\n").allSatisfy {
            String($0).displayWidth + 4 <= width
          }
          if fits {
            #expect(listing == TextLayout.indented(source))
          } else {
            longer += 1
            // The same program, in the printer's multi-line form.
            let unindented = lines.map { String($0.dropFirst(4)) }.joined(separator: "\n")
            #expect(try Program(parsing: unindented).formatted() == original.formatted())
            #expect(unindented == original.formatted())
          }
        }
      }
    }
    #expect(longer > 0, "the test needs a program longer than the screen")
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
