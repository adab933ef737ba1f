import AsyncScope
import Testing

@testable import ScopeLab

@Suite("Session commands")
struct SessionTests {
  /// DESIGN.md's "Contract: REPL commands", word for word.
  static let contractCommands = [
    "help", "lessons", "lesson", "next", "back", "step", "restart", "where", "show", "params",
    "set", "reset", "run", "trace", "timeline", "hint", "record", "replay", "history", "quit",
    // Issue 10 item 4, after the contract was written.
    "compare",
    // Issue 11: the exercises, and why.
    "predict", "edit", "why",
    // Issue 17: the rules every run keeps (DESIGN.md: rules, help RULE).
    "rules",
    // Issue 19: real code graded against the rules.
    "check",
  ]

  // MARK: - help

  @Test("help lists every command of the contract on one screen")
  func helpOverview() async {
    let harness = SessionHarness()
    let reply = await harness.execute("help")
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty)
    #expect(reply.outputLines.count <= 24)
    for line in reply.outputLines {
      #expect(line.count <= 80, "too wide: \(line)")
    }
    // Each command is a word of some line's usage column (before the two spaces).
    let usages = reply.outputLines.filter { $0.hasPrefix("  ") }.map { line in
      let usage = line.dropFirst(2).split(separator: "  ", maxSplits: 1).first ?? ""
      return usage.split(whereSeparator: { $0 == " " || $0 == "|" }).map(String.init)
    }
    for command in Self.contractCommands {
      #expect(usages.contains { $0.first == command || $0.contains(command) }, "missing \(command)")
    }
    #expect(Set(CommandSpec.names) == Set(Self.contractCommands))
  }

  @Test("help COMMAND gives the usage, an explanation and an example", arguments: contractCommands)
  func helpCommand(_ command: String) async throws {
    let harness = SessionHarness()
    let reply = await harness.execute("help \(command)")
    let spec = try #require(CommandSpec.named(command))
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty)
    #expect(reply.outputLines.first == "usage: \(spec.usage)")
    #expect(reply.outputLines.last == "example: \(spec.example)")
    #expect(reply.outputLines.count >= 3)
    #expect(reply.outputLines.allSatisfy { $0.count <= 100 })
  }

  @Test("help exit explains quit, its alias")
  func helpExit() async {
    let reply = await SessionHarness().execute("help exit")
    #expect(reply.result == .done)
    #expect(reply.outputLines.first == "usage: quit")
  }

  @Test(
    "help with an unknown command is one line, with the nearest command when there is one",
    arguments: [("rnu", "did you mean 'run'"), ("hepl", "did you mean 'help'"), ("xyzzy", "")])
  func helpUnknown(_ word: String, _ suggestion: String) async {
    let reply = await SessionHarness().execute("help \(word)")
    reply.expectOneLineError(containing: "no command, statement or rule '\(word)'")
    reply.expectOneLineError(containing: suggestion)
    if suggestion.isEmpty { #expect(!reply.errors.contains("did you mean")) }
  }

  // MARK: - params, set, reset

  @Test("params shows each parameter with its value and unit, its default and meaning")
  func params() async {
    let harness = SessionHarness()
    let reply = await harness.execute("params")
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty)
    let rows = reply.outputLines.filter { $0.hasPrefix("  ") }.map {
      $0.split(separator: " ").prefix(3).map(String.init)
    }
    #expect(rows.contains(["sleep", "1s", "1s"]))
    #expect(rows.contains(["timeout", "2s", "2s"]))
    #expect(rows.contains(["grace", "1s", "1s"]))
    #expect(reply.output.contains("500ms"), "the units are explained")
    #expect(reply.outputLines.allSatisfy { $0.count <= 80 })

    _ = await harness.execute("set timeout 500ms")
    let changed = await harness.execute("params")
    #expect(
      changed.outputLines.contains {
        $0.split(separator: " ").prefix(3) == ["timeout", "500ms", "2s"]
      })
  }

  @Test(
    "set accepts every duration form and prints the new value",
    arguments: [
      ("3", "3s"), ("3s", "3s"), ("1.5", "1.5s"), ("1.5s", "1.5s"), ("500ms", "500ms"),
      ("0", "0s"), ("-1", "-1s"), ("2m", "2min"), ("inf", "inf"), ("none", "inf"),
    ])
  func setValid(_ typed: String, _ shown: String) async throws {
    let harness = SessionHarness()
    let reply = await harness.execute("set sleep \(typed)")
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty)
    #expect(reply.output == "sleep = \(shown) (was 1s)\n")
    #expect(try harness.session.parameters.value("sleep").description == shown)
  }

  @Test(
    "set says when a value past the longest duration was clamped, and only then",
    arguments: [
      ("1e400", true), ("-1e400", true), ("2000000000", true), ("1000000000.5", true),
      ("99999999h", true), ("1000000000", false), ("1e9", false), ("31536000", false),
    ])
  func setClamped(_ typed: String, _ clamped: Bool) async throws {
    let harness = SessionHarness()
    let reply = await harness.execute("set sleep \(typed)")
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty)
    let shown = try harness.session.parameters.value("sleep").description
    let note = clamped ? " (clamped: the longest duration, about 31 years)" : ""
    #expect(reply.output == "sleep = \(shown) (was 1s)\(note)\n")
    if clamped {
      #expect(shown.hasPrefix("1000000000s") || shown.hasPrefix("-1000000000s"), "\(shown)")
    }
  }

  @Test(
    "set refuses bad input with one line and leaves the parameters alone",
    arguments: [
      ("set sleep garbage", "'garbage' is not a duration"),
      ("set sleep nan", "'nan' is not a duration"),
      ("set sleep NaN", "'NaN' is not a duration"),
      ("set timeout 0x1p3", "is not a duration"),
      ("set sleep 3sec", "is not a duration"),
      ("set sleep -inf", "'-inf' is not a duration"),
      ("set sleep", "missing a value"),
      ("set", "usage: set NAME VALUE"),
      ("set sleep 3 4", "one value"),
      ("set sleep 1 s", "one value"),
      ("set slep 3", "unknown parameter 'slep' - did you mean 'sleep'?"),
      ("set TIMEOUT 3", "did you mean 'timeout'?"),
      ("set color 3", "unknown parameter 'color'"),
      ("set slep", "unknown parameter 'slep'"),
      ("set sleep=3", "set takes NAME VALUE, with no '=' - did you mean 'set sleep 3'?"),
      ("set timeout = 500ms", "did you mean 'set timeout 500ms'?"),
      ("set grace =inf", "did you mean 'set grace inf'?"),
      ("set slep=3", "unknown parameter 'slep=3' (type 'params' for the list)"),
      ("set color=red", "unknown parameter 'color=red' (type 'params' for the list)"),
    ])
  func setInvalid(_ line: String, _ fragment: String) async {
    let harness = SessionHarness()
    let reply = await harness.execute(line)
    reply.expectOneLineError(containing: fragment)
    #expect(harness.session.parameters == Parameters.builtIn)
  }

  @Test("set echoes what was typed safely: no terminal codes, no line breaks, cut short")
  func setEchoesSafely() async {
    let harness = SessionHarness()
    let escape = await harness.execute("set \u{1B}[2J 3")
    escape.expectOneLineError(containing: "unknown parameter '\\u{1B}[2J'")
    let value = await harness.execute("set sleep 1\u{7}")
    value.expectOneLineError(containing: "'1\\u{07}'")
    let long = await harness.execute("set sleep " + String(repeating: "9x", count: 5000))
    long.expectOneLineError(containing: "...")
    #expect(long.errors.count < 200)
  }

  @Test("help reset says what reset does: the step's values in a lesson, the defaults otherwise")
  func helpReset() async {
    let reply = await SessionHarness().execute("help reset")
    #expect(reply.output.contains("to the open step's values in a lesson"), "\(reply.output)")
    #expect(reply.output.contains("otherwise to its default"))
    #expect(!reply.output.contains("restore every parameter's default"))
  }

  @Test("reset restores every default and says so")
  func reset() async throws {
    let harness = SessionHarness()
    _ = await harness.execute("set sleep 3")
    _ = await harness.execute("set timeout inf")
    let reply = await harness.execute("reset")
    #expect(reply.result == .done)
    #expect(
      reply.output == "parameters reset to their defaults: sleep = 1s, timeout = 2s, grace = 1s\n")
    #expect(harness.session.parameters == Parameters.builtIn)
  }

  // MARK: - history, quit, blank lines

  @Test("history numbers the commands typed, not blank lines or comments")
  func history() async {
    let harness = SessionHarness()
    for line in ["params", "  set sleep 3  ", "", "   ", "# a comment", "bogus", "history"] {
      _ = await harness.execute(line)
    }
    let reply = await harness.execute("history")
    #expect(reply.result == .done)
    #expect(
      reply.outputLines == [
        "   1  params", "   2  set sleep 3", "   3  bogus", "   4  history", "   5  history",
      ])
  }

  @Test("history shows control characters escaped, never raw")
  func historyEscapes() async {
    let harness = SessionHarness()
    _ = await harness.execute("bogus\u{1B}[2J")
    let reply = await harness.execute("history")
    #expect(reply.outputLines.first == "   1  bogus\\u{1B}[2J")
    #expect(!reply.output.contains("\u{1B}"))
  }

  @Test("quit and exit end the session without a word", arguments: ["quit", "exit", "  quit  "])
  func quit(_ line: String) async {
    let reply = await SessionHarness().execute(line)
    #expect(reply.result == .quit)
    #expect(reply.output.isEmpty && reply.errors.isEmpty)
  }

  @Test(
    "empty lines and comments do nothing", arguments: ["", "   ", "\t", "# run sleep 1", "  #x"])
  func ignored(_ line: String) async {
    let harness = SessionHarness()
    let reply = await harness.execute(line)
    #expect(reply.result == .done)
    #expect(reply.output.isEmpty && reply.errors.isEmpty)
    #expect(harness.session.commandHistory.isEmpty)
  }

  // MARK: - Unknown commands and arguments

  @Test(
    "an unknown command is one line naming it, with the nearest command",
    arguments: [
      ("rnu", "unknown command 'rnu' - did you mean 'run'?"),
      ("prams", "did you mean 'params'?"),
      ("timelime", "did you mean 'timeline'?"),
      ("xyzzy", "unknown command 'xyzzy' (type 'help' for the list)"),
      ("RUN print x", "did you mean 'run'?"),
    ])
  func unknownCommand(_ line: String, _ fragment: String) async {
    let reply = await SessionHarness().execute(line)
    reply.expectOneLineError(containing: fragment)
  }

  @Test("an unknown command made of garbage is echoed without terminal codes")
  func unknownGarbage() async {
    let reply = await SessionHarness().execute(
      "\u{1B}[31m\u{1}" + String(repeating: "z", count: 9000))
    reply.expectOneLineError(containing: "unknown command '\\u{1B}[31m\\u{01}zz")
    #expect(!reply.errors.contains("\u{1B}"))
    #expect(reply.errors.count < 200)
  }

  @Test(
    "commands that take no arguments refuse them",
    arguments: [
      "params x", "reset all", "trace 2", "timeline x", "history 5", "next 2", "where x",
      "quit 3", "exit now",
    ])
  func extraArguments(_ line: String) async {
    let reply = await SessionHarness().execute(line)
    reply.expectOneLineError(containing: "takes no arguments")
  }

  @Test(
    "quit and exit with arguments name themselves and do not quit",
    arguments: [("quit 3", "quit"), ("exit now", "exit"), ("quit  now  please", "quit")])
  func quitArguments(_ line: String, _ command: String) async {
    let reply = await SessionHarness().execute(line)
    #expect(reply.errors == "error: '\(command)' takes no arguments\n")
    #expect(reply.result == .invalid)
  }

  @Test("trace and timeline before any run are errors", arguments: ["trace", "timeline"])
  func nothingRunYet(_ command: String) async {
    let reply = await SessionHarness().execute(command)
    reply.expectOneLineError(containing: "nothing has run yet")
  }
}
