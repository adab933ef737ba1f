import AsyncScope
import LineEditor
import Testing

@testable import ScopeLab

@Suite("REPL loop", .serialized)
struct ReplLoopTests {
  private func loop(
    _ harness: SessionHarness,
    _ reader: ScriptedLineReader,
    showsPrompt: Bool = false,
    interrupts: AsyncStream<Void>? = nil
  ) -> ReplLoop {
    ReplLoop(
      session: harness.session, reader: reader, showsPrompt: showsPrompt, interrupts: interrupts)
  }

  // MARK: - Exit status

  @Test("every command valid: status 0, each line in the history, the reader closed")
  func allValid() async {
    let harness = SessionHarness()
    let lines = ["params", "set sleep 3", "", "# note", "reset", "run print hi", "help run"]
    let reader = ScriptedLineReader(lines)
    let status = await loop(harness, reader).run()
    #expect(status == 0)
    #expect(harness.errors.text.isEmpty)
    #expect(harness.output.text.contains("hi\n"))
    #expect(
      reader.history == ["params", "set sleep 3", "# note", "reset", "run print hi", "help run"])
    #expect(reader.isClosed)
  }

  @Test("an invalid command makes the status 2, and the commands after it still run")
  func invalidCarriesOn() async throws {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(["rnu", "set sleep nan", "run }", "set sleep 3", "params"])
    let status = await loop(harness, reader).run()
    #expect(status == 2)
    let errorLines = harness.errors.text.split(separator: "\n")
    #expect(errorLines.filter { $0.hasPrefix("error: ") }.count == 3)
    #expect(try harness.session.parameters.value("sleep").description == "3s")
    #expect(harness.output.text.contains("sleep = 3s"))
  }

  @Test("a run that fails is not invalid input: status 0")
  func failedRunIsNotInvalid() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(["run timeout 0.05 { sleep 1 }", "run throw KeyError"])
    let status = await loop(harness, reader).run()
    #expect(status == 0)
    #expect(harness.output.text.contains("TimeoutError"))
    #expect(harness.output.text.contains("KeyError"))
  }

  // MARK: - Reader inputs

  @Test("Ctrl-C at the prompt is skipped: a fresh prompt, status unchanged")
  func interruptedInput() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(inputs: [.interrupted, .line("run print hi"), .interrupted])
    let status = await loop(harness, reader, showsPrompt: true).run()
    #expect(status == 0)
    #expect(harness.output.text.contains("hi\n"))
    #expect(reader.prompts.count == 4)
    #expect(reader.history == ["run print hi"])
  }

  @Test(
    "a line the reader rejects is reported on errors and makes the status 2",
    arguments: [
      (InvalidLine(.containsNUL, lineNumber: 2), "error: line 2 holds a NUL byte\n"),
      (InvalidLine(.invalidUTF8, lineNumber: 1), "error: line 1 is not valid UTF-8 text\n"),
      (
        InvalidLine(.tooLong(limit: 65536), lineNumber: 7),
        "error: line 7 is longer than 65536 bytes\n"
      ),
    ])
  func invalidInput(_ problem: InvalidLine, _ message: String) async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(inputs: [.invalid(problem), .line("run print after")])
    let status = await loop(harness, reader).run()
    #expect(status == 2)
    #expect(harness.errors.text == message)
    #expect(harness.output.text.contains("after\n"), "the next line still runs")
  }

  @Test("quit and exit stop reading; status 0", arguments: ["quit", "exit"])
  func quitStops(_ command: String) async throws {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(["set sleep 2", command, "set sleep 3", "bogus"])
    let status = await loop(harness, reader).run()
    #expect(status == 0)
    #expect(try harness.session.parameters.value("sleep").description == "2s")
    #expect(reader.prompts.count == 2)
    #expect(reader.isClosed)
  }

  @Test("quit after an invalid command still reports 2")
  func quitAfterInvalid() async {
    let reader = ScriptedLineReader(["bogus", "quit"])
    #expect(await loop(SessionHarness(), reader).run() == 2)
  }

  // MARK: - Prompt

  @Test("a terminal gets the prompt, a pipe gets none", arguments: [true, false])
  func prompt(_ showsPrompt: Bool) async {
    let reader = ScriptedLineReader(["params", "history"])
    _ = await loop(SessionHarness(), reader, showsPrompt: showsPrompt).run()
    let expected = showsPrompt ? "scopelab> " : ""
    #expect(reader.prompts == [expected, expected, expected])
  }

  @Test("the prompt follows the open lesson and step")
  func lessonPrompt() async {
    let reader = ScriptedLineReader(["lesson demo", "next"])
    _ = await loop(SessionHarness(lessons: StubLessons()), reader, showsPrompt: true).run()
    #expect(reader.prompts == ["scopelab> ", "scopelab demo 1/2> ", "scopelab demo 2/2> "])
  }

  // MARK: - Statements and continuation lines

  /// The lines of `text` without their time column: `enter timeout#1`, `  hi`, `=> ok`,
  /// leaving out the timeline.
  private static func traceLines(_ text: String) -> [String] {
    text.split(separator: "\n").filter { $0.hasPrefix("  ") && $0.contains("s  ") }.map {
      String($0.drop { $0 == " " }.drop { $0 != " " }.dropFirst(2))
    }
  }

  @Test("lines that begin with a statement run, each with its trace")
  func bareStatements() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(["print hi", "scope A { print inside }"])
    let status = await loop(harness, reader).run()
    #expect(status == 0)
    #expect(harness.errors.text.isEmpty)
    #expect(
      Self.traceLines(harness.output.text) == [
        "hi", "=> ok", "enter A#1", "  inside", "exit A#1 (received none)", "exit-done A#1",
        "=> ok",
      ])
    #expect(reader.history == ["print hi", "scope A { print inside }"])
  }

  @Test("an open brace continues the command under '...> '; it runs once, as one entry")
  func continuationLines() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(["timeout 1 {", "  print hi  # greet", "}", "history"])
    let status = await loop(harness, reader, showsPrompt: true).run()
    #expect(status == 0)
    #expect(harness.errors.text.isEmpty, "\(harness.errors.text)")
    #expect(reader.prompts == ["scopelab> ", "...> ", "...> ", "scopelab> ", "scopelab> "])
    #expect(
      Self.traceLines(harness.output.text) == [
        "enter timeout#1", "  hi", "exit timeout#1 (received none)", "exit-done timeout#1",
        "=> ok",
      ])
    #expect(reader.history == ["timeout 1 { print hi }", "history"])
    #expect(harness.session.commandHistory == ["timeout 1 { print hi }", "history"])
    #expect(harness.output.text.hasSuffix("   1  timeout 1 { print hi }\n   2  history\n"))
  }

  @Test("in a pipe the same lines join, with no prompt shown")
  func continuationInAPipe() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(["run runner {", "print a", "print b", "}"])
    #expect(await loop(harness, reader).run() == 0)
    #expect(reader.prompts == ["", "", "", "", ""])
    #expect(reader.history == ["run runner { print a; print b }"])
    #expect(
      Self.traceLines(harness.output.text).filter { !$0.contains("runner#1") } == [
        "  a", "  b", "=> ok",
      ])
  }

  @Test("open quotes, an option list and a final backslash continue the command too")
  func otherContinuations() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader([
      "print \"two", "lines\"", "scope A(suppress,", "  throw-exit) { throw KeyError }",
      "print one \\", "  line",
    ])
    #expect(await loop(harness, reader).run() == 0)
    #expect(harness.errors.text.isEmpty, "\(harness.errors.text)")
    let trace = Self.traceLines(harness.output.text)
    #expect(trace.contains("two\\nlines"), "the line break is text, shown escaped: \(trace)")
    #expect(trace.contains("=> ExitError during handling of KeyError"))
    #expect(trace.contains("one line"))
    // A line break inside quotes is text: there is no one-line form, and a history
    // entry is one line, so that command is not kept.
    #expect(
      reader.history == ["scope A(suppress, throw-exit) { throw KeyError }", "print one   line"])
    #expect(harness.session.commandHistory.first == "print \"two\nlines\"")
  }

  @Test("a catch or a block on the next line goes on with the program")
  func catchOnTheNextLine() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader([
      "try {", "  throw KeyError", "}", "", "catch KeyError {", "  print caught", "}",
      "timeout 1", "{ print braced }",
    ])
    // In a pipe, a blank line between the block and its catch keeps the program going.
    let status = await loop(harness, reader, showsPrompt: false).run()
    #expect(status == 0)
    #expect(harness.errors.text.isEmpty, "\(harness.errors.text)")
    let trace = Self.traceLines(harness.output.text)
    #expect(trace.filter { !$0.contains("timeout#1") } == ["caught", "=> ok", "  braced", "=> ok"])
    #expect(
      reader.history == [
        "try { throw KeyError } catch KeyError { print caught }", "timeout 1 { print braced }",
      ])
  }

  @Test(
    "a pasted whole try whose next line is another catch is one program; the prompt is the first",
    arguments: [false, true])
  func pastedSecondCatch(showsPrompt: Bool) async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader([
      "try { throw KeyError } catch ValueError { print value }",
      "catch KeyError { print key }", "print after",
    ])
    #expect(await loop(harness, reader, showsPrompt: showsPrompt).run() == 0)
    #expect(harness.errors.text.isEmpty, "\(harness.errors.text)")
    #expect(Self.traceLines(harness.output.text) == ["key", "=> ok", "after", "=> ok"])
    #expect(
      reader.history == [
        "try { throw KeyError } catch ValueError { print value } catch KeyError { print key }",
        "print after",
      ])
    if showsPrompt {
      // The line read ahead after a whole program most often starts the next command.
      #expect(reader.prompts == ["scopelab> ", "scopelab> ", "scopelab> ", "scopelab> "])
    }
  }

  @Test("a whole try typed and ended with Enter runs; a catch typed after it is a command")
  func typedSecondCatch() async {
    let harness = SessionHarness()
    let reader = PausingReader([
      ("try { throw KeyError } catch KeyError { print key }", .zero),
      ("catch ValueError { print value }", .seconds(2)),
    ])
    let loop = ReplLoop(session: harness.session, reader: reader, showsPrompt: true)
    #expect(await loop.run() == 2)
    #expect(Self.traceLines(harness.output.text) == ["key", "=> ok"])
    #expect(harness.errors.text.contains("catch"), "\(harness.errors.text)")
  }

  @Test("what is read ahead after a pasted program - Ctrl-C, a bad line - does not drop it")
  func readAheadKeepsTheProgram() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(inputs: [
      .line("print one"), .interrupted, .line("print two"),
      .invalid(InvalidLine(.containsNUL, lineNumber: 4)),
      .line("print three"),
    ])
    #expect(await loop(harness, reader, showsPrompt: true).run() == 2)
    #expect(
      Self.traceLines(harness.output.text) == ["one", "=> ok", "two", "=> ok", "three", "=> ok"])
    #expect(harness.errors.text == "error: line 4 holds a NUL byte\n")
  }

  @Test("at a terminal, Enter on an empty continuation line runs what was typed")
  func blankLineAtTheTerminal() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(["try { print b }", "", "print after"])
    #expect(await loop(harness, reader, showsPrompt: true).run() == 2)
    #expect(harness.errors.text.hasPrefix("error: 'try' needs a 'catch' after its block"))
    #expect(Self.traceLines(harness.output.text) == ["after", "=> ok"])
    #expect(reader.prompts == ["scopelab> ", "...> ", "scopelab> ", "scopelab> "])
  }

  @Test("a program that waits for a catch that does not come runs as it is; the line after runs")
  func catchThatDoesNotCome() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(["run try { sleep 0 }", "print after"])
    #expect(await loop(harness, reader).run() == 2)
    #expect(harness.errors.text.hasPrefix("error: 'try' needs a 'catch' after its block"))
    #expect(Self.traceLines(harness.output.text) == ["after", "=> ok"])
    #expect(reader.history == ["run try { sleep 0 }", "print after"])
  }

  @Test("the history gets the program printed on one line when joining lines would change it")
  func historyWhenJoiningMisleads() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(["runner {", "  print a,", "  print b", "}"])
    #expect(await loop(harness, reader).run() == 0)
    #expect(reader.history == ["runner { print \"a,\"; print b }"])
    let trace = Self.traceLines(harness.output.text)
    #expect(trace.contains("  a,") && trace.contains("  b"), "\(trace)")
  }

  @Test("Ctrl-C at a continuation prompt drops the whole command")
  func interruptAbandons() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(inputs: [
      .line("timeout 1 {"), .line("  print never"), .interrupted, .line("print after"),
    ])
    let status = await loop(harness, reader, showsPrompt: true).run()
    #expect(status == 0)
    #expect(reader.prompts == ["scopelab> ", "...> ", "...> ", "scopelab> ", "scopelab> "])
    #expect(Self.traceLines(harness.output.text) == ["after", "=> ok"])
    #expect(reader.history == ["print after"])
    #expect(harness.errors.text.isEmpty)
  }

  @Test(
    "input that ends inside a command is one error naming where it opened; status 2",
    arguments: [
      (
        ["params", "timeout 1 {", "  scope A {", "print x }"],
        "the input ended inside the '{' opened at line 2, column 11"
      ),
      (
        ["params", "timeout 1 {", "  scope A {", "print x"],
        "the input ended inside the '{' opened at line 3, column 11"
      ),
      (["print \"a", "b"], "the input ended inside the quote \" opened at line 1, column 7"),
      (
        ["", "print a \\"],
        "the input ended after the '\\' at line 2, column 9, which continues the line"
      ),
    ])
  func endInsideACommand(_ lines: [String], _ message: String) async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(lines)
    let status = await loop(harness, reader).run()
    #expect(status == 2)
    #expect(harness.errors.text == "error: \(message)\n")
    #expect(!harness.output.text.contains("=> "), "nothing ran: \(harness.output.text)")
    #expect(reader.history.allSatisfy { $0 == "params" })
    #expect(reader.isClosed)
  }

  @Test("a rejected line inside a command drops the command; the next line is a new one")
  func invalidLineInsideACommand() async {
    let harness = SessionHarness()
    let reader = ScriptedLineReader(inputs: [
      .line("print first"), .line("timeout 1 {"),
      .invalid(InvalidLine(.containsNUL, lineNumber: 3)),
      .line("print next"),
    ])
    #expect(await loop(harness, reader).run() == 2)
    #expect(
      harness.errors.text
        == "error: line 3 holds a NUL byte - the command begun at line 2 is dropped\n")
    #expect(Self.traceLines(harness.output.text) == ["first", "=> ok", "next", "=> ok"])
  }

  @Test("completion on a continuation line knows the lines before it")
  func completionOnAContinuationLine() async {
    let reader = ScriptedLineReader(["run timeout 1 {"])
    _ = await loop(SessionHarness(), reader).run()
    #expect(reader.complete("sl") == ["sleep"])
    #expect(reader.complete("sleep $t") == ["$timeout"])
    #expect(reader.complete("sleep ").isEmpty)
  }

  // MARK: - Completion and Ctrl-C

  @Test("the loop gives the reader the session's completion, refreshed as lessons change")
  func completionWired() async {
    let reader = ScriptedLineReader(["lesson demo"])
    _ = await loop(SessionHarness(lessons: StubLessons()), reader).run()
    #expect(reader.complete("se") == ["set"])
    #expect(reader.complete("set ") == ["grace", "poll", "sleep", "timeout"])
    #expect(reader.complete("lesson d") == ["demo", "demo-two"])
  }

  @Test("Ctrl-C from the interrupt stream cancels the run; the next command runs")
  func interruptStream() async {
    let harness = SessionHarness()
    let (interrupts, press) = AsyncStream<Void>.makeStream()
    let output = harness.output
    let presser = Task {
      while !output.text.contains("enter timeout#1") {
        try? await Task.sleep(for: .milliseconds(20))
      }
      try? await Task.sleep(for: .milliseconds(100))
      press.yield()
    }
    let reader = ScriptedLineReader(["run timeout 10 { sleep 30 }", "run print next"])
    let clock = ContinuousClock()
    let start = clock.now
    let status = await loop(harness, reader, interrupts: interrupts).run()
    await presser.value
    #expect(clock.now - start < .seconds(5))
    #expect(status == 0)
    let text = harness.output.text
    let interrupted = text.firstRange(of: "KeyboardInterrupt")
    let next = text.firstRange(of: "next\n")
    #expect(interrupted != nil && next != nil)
    if let interrupted, let next { #expect(interrupted.upperBound <= next.lowerBound) }
  }
}
