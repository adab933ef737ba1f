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
    let reader = ScriptedLineReader(["rnu", "set sleep nan", "run {", "set sleep 3", "params"])
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
