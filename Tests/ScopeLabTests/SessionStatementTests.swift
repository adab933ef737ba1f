import AsyncScope
import TestSupport
import Testing

@testable import ScopeLab

/// The prompt speaks the language: a line that begins with a statement runs as if typed
/// after `run`. The runs are on a clock that never moves: none of them waits on it.
@Suite("Session statements")
struct SessionStatementTests {
  /// A trace line without its time column: `enter timeout#1`, `  hi`, `=> ok`.
  private static func untimed(_ line: String) -> String {
    String(line.drop { $0 == " " }.drop { $0 != " " }.dropFirst(2))
  }

  // MARK: - A line that begins with a statement

  @Test(
    "a line that begins with a statement runs as if typed after run",
    arguments: [
      (
        "timeout 1 { print hi }",
        [
          "enter timeout#1", "  hi", "exit timeout#1 (received none)", "exit-done timeout#1",
          "=> ok",
        ]
      ),
      ("print hi there", ["hi there", "=> ok"]),
      ("scope A { }", ["enter A#1", "exit A#1 (received none)", "exit-done A#1", "=> ok"]),
      ("scope A{ }", ["enter A#1", "exit A#1 (received none)", "exit-done A#1", "=> ok"]),
      ("sleep 0; print slept", ["slept", "=> ok"]),
      ("throw KeyError", ["=> KeyError"]),
      ("return 7", ["=> ok: returned 7"]),
      ("try { throw Boom } catch Boom { print caught }", ["caught", "=> ok"]),
    ])
  func bareStatement(_ line: String, _ trace: [String]) async {
    let harness = SessionHarness(clock: ManualClock())
    let reply = await harness.execute(line)
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty, "\(reply.errors)")
    #expect(reply.traceLines.map(Self.untimed) == trace)
    #expect(harness.session.commandHistory == [line])
  }

  @Test("runner and busy lines run too", arguments: ["runner { busy 0.01 }", "runner{ }"])
  func runnerLine(_ line: String) async {
    let reply = await SessionHarness(clock: ManualClock()).execute(line)
    #expect(reply.result == .done)
    let trace = reply.traceLines.map(Self.untimed)
    #expect(trace.contains("  runner#1 running=true"), "\(reply.output)")
    #expect(reply.traceLines.last.map(Self.untimed) == "=> ok")
  }

  @Test(
    "a statement line that does not parse is one parse error, with its caret",
    arguments: [
      ("sleep", "'sleep' needs a duration"), ("wait", "'wait' must be inside a 'process' block"),
      ("reschedule 1", "must be inside a 'timeout' block"), ("print hi }", "unexpected '}'"),
    ])
  func statementParseError(_ line: String, _ fragment: String) async {
    let reply = await SessionHarness(clock: ManualClock()).execute(line)
    #expect(reply.result == .invalid)
    #expect(reply.output.isEmpty)
    #expect(reply.errorLines.first?.contains(fragment) == true, "\(reply.errors)")
    #expect(reply.errorLines.count == 3, "message, source line, caret: \(reply.errors)")
  }

  @Test("every help example begins with a statement, so it runs as typed at the prompt")
  func helpExamplesRunBare() throws {
    for topic in StatementHelp.all {
      let (prefix, program) = try #require(Session.programPart(of: topic.example), "\(topic.name)")
      #expect(prefix.isEmpty && program == topic.example, "\(topic.name)")
    }
  }

  @Test("no statement keyword is a command: the two sets of words never overlap")
  func keywordsAreNotCommands() {
    let keywords = Set(SessionCompletion.programKeywords)
    #expect(keywords.isDisjoint(with: CommandSpec.names))
    #expect(!keywords.contains("exit") && !keywords.contains("quit"))
    #expect(keywords.isSuperset(of: ["timeout", "runner", "process", "scope", "sleep", "busy"]))
  }

  @Test(
    "an unknown command close to a statement keyword suggests it",
    arguments: [
      ("slep 1", "unknown command 'slep' - did you mean 'sleep'?"),
      ("timout 1 { }", "did you mean 'timeout'?"), ("prnt hi", "did you mean 'print'?"),
      ("Timeout 1 { }", "did you mean 'timeout'?"),
    ])
  func unknownNearKeyword(_ line: String, _ fragment: String) async {
    let reply = await SessionHarness(clock: ManualClock()).execute(line)
    reply.expectOneLineError(containing: fragment)
  }
}
