import AsyncScope
import Testing

@testable import ScopeLab

/// One typed command: a line is read once into a ``Command``, with every error its
/// arguments alone cause; the session, help and completion all go by it.
@Suite("Commands")
struct CommandTests {
  @Test("a line reads as the command it names, its arguments typed")
  func parsesCommands() {
    #expect(Command.parse("  ") == .empty)
    #expect(Command.parse("# a note") == .empty)
    #expect(Command.parse("run") == .command(.run(nil)))
    #expect(Command.parse("run  sleep 1 ") == .command(.run("sleep 1")))
    #expect(Command.parse("timeout 1 { sleep 2 }") == .command(.run("timeout 1 { sleep 2 }")))
    #expect(Command.parse("runner{ }") == .command(.run("runner{ }")))
    #expect(Command.parse("lesson") == .command(.lesson(nil)))
    #expect(Command.parse("lesson 2") == .command(.lesson("2")))
    #expect(Command.parse("restart --force") == .command(.restart(force: true)))
    #expect(Command.parse("show") == .command(.show(.step)))
    #expect(Command.parse("show python") == .command(.show(.code(.python))))
    #expect(Command.parse("show source timeout") == .command(.show(.source("timeout"))))
    #expect(Command.parse("exit") == .command(.quit))
    #expect(
      Command.parse("set sleep 3")
        == .command(.set(Command.SetArguments(name: "sleep", values: ["3"]))))
    guard case .command(.set(let arguments)) = Command.parse("set sleep = 3") else {
      Issue.record("set sleep = 3 is a set command")
      return
    }
    #expect(arguments.assignment?.name == "sleep")
    #expect(arguments.assignment?.value == "3")
    guard case .command(.replay(let replay)) = Command.parse("replay a.md --speed 2 --check")
    else {
      Issue.record("replay a.md --speed 2 --check is a replay")
      return
    }
    #expect(replay.file == "a.md" && replay.speed == 2 && replay.check && !replay.trust)
    #expect(replay.arguments == "a.md --speed 2 --check")
  }

  @Test("arguments that do not fit are one line naming the command")
  func problems() {
    func problem(_ line: String) -> Command.Problem? {
      if case .invalid(let problem) = Command.parse(line) { return problem }
      return nil
    }
    #expect(
      problem("exit now")
        == .init(name: .quit, message: "'exit' takes no arguments", arguments: "now"))
    #expect(problem("step")?.message == "usage: step N")
    #expect(problem("show swift now")?.message == "'show swift' takes no arguments")
    #expect(problem("record a.md b.md")?.name == .record)
    #expect(problem("replay a.md --speed 0")?.message.hasPrefix("replay: --speed takes") == true)
    let unknown = problem("hepl")
    #expect(unknown?.name == nil)
    #expect(unknown?.message.contains("did you mean 'help'?") == true)
  }

  @Test("every command has its help, under its own name, and the names are help's list")
  func helpGoesWithTheCommand() {
    for name in CommandName.allCases {
      #expect(name.spec.name == name.rawValue)
      #expect(name.spec.usage.hasPrefix(name.rawValue))
      #expect(CommandName(typed: name.rawValue) == name)
    }
    #expect(CommandSpec.names == CommandName.allCases.map(\.rawValue))
  }

  @Test("one name=value reader: split at the first '=', spaces kept until trimmed")
  func assignments() {
    #expect(Assignment("sleep") == nil)
    let setting = Assignment(" sleep = a=b ")
    #expect(setting?.name == " sleep " && setting?.value == " a=b ")
    #expect(setting?.trimmed.name == "sleep" && setting?.trimmed.value == "a=b")
    #expect(Assignment.items(" sleep=3s , timeout=1,") == ["sleep=3s", "timeout=1"])
  }

  @Test("a session built without record and replay says so, in one line")
  func withoutTranscripts() async {
    let output = CapturedOutput()
    let errors = CapturedOutput()
    let session = Session(output: output, errors: errors)
    #expect(await session.execute("record x.md") == .invalid)
    #expect(await session.execute("replay x.md") == .invalid)
    #expect(
      errors.text
        == "error: 'record' is not available in this session\n"
        + "error: 'replay' is not available in this session\n")
    #expect(output.text.isEmpty)
  }
}
