import TestSupport
import Testing

/// DESIGN.md's colour rule: on only when the output is a terminal, `TERM` is not
/// `dumb` and `NO_COLOR` is unset, unless `--color` says otherwise.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ColorTests {
  static let escape = "\u{1b}["

  @Test func aPipeGetsNoColour() throws {
    let scopelab = try Scopelab()
    scopelab.noColor = false
    let finished = try scopelab.run(["run", "throw KeyError"])
    #expect(finished.status == 1)
    #expect(!finished.output.contains(Self.escape), "\(finished)")
  }

  @Test(
    "--color always colours a pipe, given after the subcommand or before it",
    arguments: [
      ["run", "throw KeyError", "--color", "always"],
      ["--color", "always", "run", "throw KeyError"],
    ])
  func colorAlwaysColoursAPipe(arguments: [String]) throws {
    let scopelab = try Scopelab()
    let finished = try scopelab.run(arguments)
    #expect(finished.status == 1)
    #expect(finished.output.contains(Self.escape), "\(finished)")
    #expect(finished.output.contains("KeyError"), "\(finished)")
  }

  @Test func colorNeverAndNoColorKeepATerminalPlain() throws {
    let scopelab = try Scopelab()
    let terminal = try scopelab.startInTerminal(["--color", "never"])
    try terminal.expect("scopelab> ")
    terminal.send("run throw KeyError\r")
    let seen = try terminal.expect("scopelab> ")
    let trace = seen.split(whereSeparator: \.isNewline).filter {
      $0.contains("KeyError") && !$0.contains("run ")
    }
    #expect(!trace.isEmpty, "\(seen.debugDescription)")
    #expect(trace.allSatisfy { !$0.contains(Self.escape) }, "\(seen.debugDescription)")
  }

  @Test func aTerminalGetsColour() throws {
    let scopelab = try Scopelab()
    scopelab.noColor = false
    let terminal = try scopelab.startInTerminal()
    try terminal.expect("scopelab> ")
    terminal.send("run throw KeyError\r")
    let seen = try terminal.expect("scopelab> ")
    let trace = seen.split(whereSeparator: \.isNewline).filter {
      $0.contains("KeyError") && !$0.contains("run ")
    }
    #expect(trace.contains { $0.contains(Self.escape) }, "\(seen.debugDescription)")
  }
}
