import AsyncScope
import Testing

@testable import ScopeLab

/// `help STATEMENT`: the language explained at the prompt, with examples that run.
@Suite("Statement help", .serialized)
struct StatementHelpTests {
  /// A trace line without its time column: `enter timeout#1`, `  hi`, `=> ok`.
  private static func untimed(_ line: String) -> String {
    String(line.drop { $0 == " " }.drop { $0 != " " }.dropFirst(2))
  }

  // MARK: - help STATEMENT

  /// Every statement and option the brief and DESIGN.md name.
  static let requiredTopics = [
    "timeout", "scope", "reschedule", "runner", "process", "sleep", "busy", "print", "throw",
    "try", "catch", "return", "wait", "suppress", "fail-enter", "throw-exit", "slow-enter",
    "slow-exit", "slow-enter=D", "slow-exit=D", "durations",
  ]

  @Test(
    "help explains every statement and option: usage, sentences, an example",
    arguments: requiredTopics)
  func helpTopic(_ word: String) async throws {
    let topic = try #require(StatementHelp.named(word))
    // What help says, not how it is fitted to a screen (ScreenFitTests).
    let reply = await SessionHarness(textWidth: 10_000).execute("help \(word)")
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty)
    #expect(reply.output == topic.text)
    #expect(reply.outputLines.first == "usage: \(topic.usage)")
    #expect(reply.outputLines.last == "example: \(topic.example)")
    #expect(reply.outputLines.count >= 3)
    // Its sentences are one paragraph, fitted to the screen: at 80 columns (a pipe) no
    // line but the usage and the example is longer.
    let piped = await SessionHarness(textWidth: 80).execute("help \(word)")
    #expect(
      piped.outputLines.dropFirst().dropLast().allSatisfy { $0.count <= 80 }, "\(piped.output)")
  }

  @Test("help busy names the await the Swift view writes, and says it does not check")
  func helpBusyIsAnAwait() throws {
    let details = try #require(StatementHelp.named("busy")).details
      .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    let swift = SwiftView.render(try Program(parsing: "busy 10ms"), parameters: .builtIn)
    #expect(swift.contains("    await busy(for: .milliseconds(10))\n"))
    #expect(details.contains("await busy(for: D)"))
    #expect(details.contains("an await that does not check is not where a cancellation lands"))
  }

  @Test("help catch explains try; help slow-exit=D explains slow-exit")
  func helpAliases() {
    #expect(StatementHelp.named("catch")?.name == "try")
    #expect(StatementHelp.named("slow-exit=D")?.name == "slow-exit")
    #expect(StatementHelp.named("slow-enter=")?.name == "slow-enter")
    #expect(StatementHelp.named("nonsense") == nil)
  }

  @Test("help timeout says the deadline cancels only the block, and how asyncio does that")
  func helpTimeoutTO1() async {
    let reply = await SessionHarness().execute("help timeout")
    let text = reply.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(text.contains("cancels only the block"), "\(reply.output)")
    #expect(text.contains("(rule TO1)"))
    #expect(text.contains("asyncio.timeout cancels the current task"))
    #expect(text.contains("uncancel() in its __aexit__"))
  }

  @Test("help scope lists every option")
  func helpScopeOptions() async {
    let reply = await SessionHarness().execute("help scope")
    for option in ScopeOption.flagNames + ScopeOption.durationNames.map({ $0 + "=D" }) {
      #expect(reply.outputLines.contains { $0.hasPrefix("  \(option) ") }, "missing \(option)")
    }
  }

  @Test("help durations lists the units, bare seconds, negative values, inf and none")
  func helpDurations() async {
    let reply = await SessionHarness().execute("help durations")
    let words = Set(
      reply.output.split { $0.isWhitespace || ",.:;()".contains($0) }.map(String.init))
    for word in ["ns", "us", "ms", "s", "m", "min", "h", "inf", "none", "negative", "seconds"] {
      #expect(words.contains(word), "missing \(word): \(reply.output)")
    }
  }

  @Test("every help example parses and runs, with the outcome it is there to show")
  func helpExamplesRun() async throws {
    let outcomes: [String: String] = [
      "timeout": "=> TimeoutError", "runner": "=> ok", "process": "=> ok", "scope": "=> ok",
      "sleep": "=> ok", "busy": "=> ok", "print": "=> ok", "throw": "=> KeyError",
      "try": "=> ok", "return": "=> ok: returned 42", "wait": "=> ok", "reschedule": "=> ok",
      "suppress": "=> ok", "fail-enter": "=> EnterError",
      "throw-exit": "=> ExitError during handling of KeyError", "slow-enter": "=> ok",
      "slow-exit": "=> TimeoutError", "durations": "=> ok", "group": "=> ok",
      "task": "=> KeyError",
    ]
    #expect(Set(outcomes.keys) == Set(StatementHelp.topicNames))
    for topic in StatementHelp.all {
      _ = try Program(parsing: topic.example)
      let reply = await SessionHarness().execute("run " + topic.example)
      #expect(reply.result == .done, "\(topic.name): \(reply.errors)")
      let outcome = reply.traceLines.last.map(Self.untimed) ?? ""
      #expect(
        outcome.hasPrefix(outcomes[topic.name] ?? "?"), "\(topic.name): \(reply.output)")
    }
  }

  @Test("what the examples say they show: never is never printed, after and caught are")
  func helpExamplesShowWhatTheySay() async throws {
    for name in ["timeout", "return", "fail-enter"] {
      let topic = try #require(StatementHelp.named(name))
      let reply = await SessionHarness().execute("run " + topic.example)
      #expect(!reply.traceLines.map(Self.untimed).contains { $0.hasSuffix("never") }, "\(name)")
    }
    let scope = await SessionHarness().execute(
      "run " + (try #require(StatementHelp.named("scope")).example))
    #expect(scope.traceLines.map(Self.untimed).contains("after"))
    let caught = await SessionHarness().execute(
      "run " + (try #require(StatementHelp.named("try")).example))
    #expect(caught.traceLines.map(Self.untimed).contains("caught"))
  }

  @Test("the command examples of help parse too, where they are programs")
  func commandExamplesParse() throws {
    for spec in CommandSpec.all where spec.example.hasPrefix("run ") {
      _ = try Program(parsing: String(spec.example.dropFirst(4)))
    }
  }

  @Test("help set names the parameters with their values, a lesson's own included")
  func helpSet() async {
    let harness = SessionHarness(lessons: StubLessons(), textWidth: 10_000)
    _ = await harness.execute("set sleep 3")
    let reply = await harness.execute("help set")
    #expect(
      reply.outputLines.contains(
        "The parameters: sleep (now 3s), timeout (now 2s), grace (now 1s)."))
    _ = await harness.execute("lesson demo")
    let withLesson = await harness.execute("help set")
    #expect(withLesson.output.contains("grace (now 1s), poll (now 300ms)."), "\(withLesson.output)")
    #expect(withLesson.outputLines.last == "example: set sleep 3")
  }

  @Test("help with no argument points to help STATEMENT and help durations")
  func helpOverviewMentionsTheLanguage() async {
    let reply = await SessionHarness().execute("help")
    #expect(reply.output.contains("'help STATEMENT'"))
    #expect(reply.output.contains("'help durations'"))
    #expect(reply.output.contains("timeout 1 { sleep 2 }"))
  }

  @Test(
    "help with an unknown word suggests the nearest command or statement",
    arguments: [
      ("slep", "did you mean 'sleep'?"), ("suppres", "did you mean 'suppress'?"),
      ("reschedul", "did you mean 'reschedule'?"), ("duration", ""), ("rnu", "did you mean 'run'?"),
      ("xyzzy", ""),
    ])
  func helpUnknownWord(_ word: String, _ suggestion: String) async {
    // What help says, not how it is fitted to a screen (ScreenFitTests).
    let reply = await SessionHarness(textWidth: 10_000).execute("help \(word)")
    if word == "duration" {
      #expect(reply.result == .done, "an alias of durations")
      return
    }
    reply.expectOneLineError(containing: "no command, statement or rule '\(word)'")
    reply.expectOneLineError(containing: suggestion)
    if suggestion.isEmpty { #expect(!reply.errors.contains("did you mean")) }
  }
}
