import AsyncScope
import TestSupport
import Testing

@testable import ScopeLab

@Suite("Session lessons and transcripts")
struct SessionLessonTests {
  // MARK: - No lesson open

  @Test(
    "with no lesson open, the step commands say how to open one, as invalid input",
    arguments: ["next", "back", "step 2", "restart", "where", "show", "hint"])
  func noLessonOpen(_ line: String) async {
    let harness = SessionHarness()
    let reply = await harness.execute(line)
    reply.expectOneLineError(containing: "no lesson open: 'lessons' lists them")
    #expect(harness.session.prompt == "scopelab> ")
  }

  @Test(
    "lesson commands check their arguments first",
    arguments: [
      ("lesson", "no lesson opened yet: 'lessons' lists them, 'lesson 1' opens the first"),
      ("lesson a b", "usage: lesson [NAME|NUMBER|FILE.md]"),
      ("restart now", "usage: restart [--force]"),
      ("step", "usage: step N"), ("show java", "usage: show [swift | python | source SCOPE]"),
      ("lessons all", "'lessons' takes no arguments"),
    ])
  func lessonUsage(_ line: String, _ fragment: String) async {
    let reply = await SessionHarness().execute(line)
    reply.expectOneLineError(containing: fragment)
  }

  @Test(
    "replay in the REPL: a missing file or bad options are invalid input",
    arguments: [
      ("replay /nonexistent/s.md", "error: /nonexistent/s.md: no such file"),
      ("replay", "error: usage: replay FILE [--speed X] [--check] [--trust]"),
      ("replay a.md b.md", "error: replay: one FILE please"),
      ("replay a.md --speed -1", "error: replay: --speed takes a number above 0"),
      ("replay a.md --fast", "error: replay: unknown option '--fast'"),
    ])
  func replayErrors(_ line: String, _ message: String) async {
    let reply = await SessionHarness().execute(line)
    #expect(reply.result == .invalid)
    #expect(reply.errors.hasPrefix(message), "\(reply.errors)")
  }

  @Test("replay --check in the REPL checks a file in a session of its own")
  func replayCheckInTheREPL() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-repl-replay")
    try directory.write("s.md", "```scopelab\nscopelab> set sleep 2\nsleep = 2s (was 1s)\n```\n")
    let path = directory.path + "/s.md"
    let harness = SessionHarness()
    let reply = await harness.execute("replay \(path) --check")
    #expect(reply.result == .done, "\(reply.errors)")
    #expect(reply.output.hasPrefix("ok \(path) (1 command, "), "\(reply.output)")
    #expect(reply.output.hasSuffix("\n1 passed, 0 failed\n"))
    #expect(try harness.session.parameters.value("sleep") == UserDuration(.seconds(1)), "untouched")
  }

  @Test(
    "show swift, show python and show source: what is shown, or one line saying why not",
    arguments: [
      ("show swift", "no program to show: open a lesson, or run one first"),
      ("show python", "no program to show: open a lesson, or run one first"),
      ("show swift now", "'show swift' takes no arguments"),
      ("show source", "usage: show source SCOPE (one of: timeout, runner, process, group, scope)"),
      (
        "show source bogus",
        "no built-in scope 'bogus' - show source takes one of: timeout, runner, process, group,"
          + " scope"
      ),
    ])
  func showCodeErrors(_ line: String, _ fragment: String) async {
    let reply = await SessionHarness().execute(line)
    reply.expectOneLineError(containing: fragment)
  }

  @Test("show swift and show python show the last program run")
  func showTheLastProgram() async throws {
    let harness = SessionHarness()
    _ = await harness.execute("run print hi")
    let program = try Program(parsing: "print hi")
    for language in CodeLanguage.allCases {
      let reply = await harness.execute("show \(language.rawValue)")
      #expect(reply.result == .done && reply.errors.isEmpty, "\(reply.errors)")
      #expect(reply.output == language.render(program, parameters: .builtIn))
    }
  }

  // MARK: - The seam for lessons

  @Test("a lesson navigator sets the prompt and the program that a bare run runs")
  func navigatorDrivesPromptAndRun() async {
    let harness = SessionHarness(lessons: StubLessons())
    #expect(harness.session.prompt == "scopelab> ")
    let bare = await harness.execute("run")
    bare.expectOneLineError(containing: "no program to run")

    let opened = await harness.execute("lesson demo")
    #expect(opened.result == .done)
    #expect(opened.output == "demo: step 1\n")
    #expect(harness.session.prompt == "scopelab demo 1/2> ")

    let first = await harness.execute("run")
    #expect(first.result == .done)
    #expect(first.traceLines.contains { $0.hasSuffix("  step one") })

    _ = await harness.execute("next")
    #expect(harness.session.prompt == "scopelab demo 2/2> ")
    let second = await harness.execute("run")
    #expect(second.result == .done, "the lesson's own parameter $poll is declared")
    #expect(second.traceLines.contains { $0.hasSuffix("step two") })
  }

  @Test("a navigator's failure is one error line; its parameters show in params and completion")
  func navigatorFailureAndParameters() async {
    let harness = SessionHarness(lessons: StubLessons())
    let missing = await harness.execute("lesson nope")
    missing.expectOneLineError(containing: "no lesson 'nope'")
    _ = await harness.execute("lesson demo")
    let params = await harness.execute("params")
    #expect(params.outputLines.contains { $0.hasPrefix("  poll") })
    let completion = harness.session.completion
    #expect(completion.parameterNames.contains("poll"))
    #expect(completion.lessonIDs == ["demo", "demo-two"])
  }
}
