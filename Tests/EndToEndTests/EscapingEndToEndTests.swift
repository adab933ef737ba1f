import TestSupport
import Testing

/// What the command line quotes back - a bad option, a `--set` value, a path, a program's
/// source line - reaches the terminal escaped: no raw ESC, no raw U+202E.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct EscapingEndToEndTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  static let esc = "\u{1B}[31m"
  static let override = "\u{202E}"
  static let nasty = esc + "x" + override

  @Test(
    "an argument quoted back is shown escaped",
    arguments: [
      ["run", "sleeep \(nasty)"], ["run", "print \(nasty)"],
      ["run", "--set", "sleep=\(nasty)", "sleep $sleep"],
      ["run", "--set", "s\(nasty)=1", "sleep $sleep"],
      ["--record", "/nonexistent/\(nasty).md"],
      ["compare", "--python", "/nonexistent/\(nasty)", "sleep 0"],
      ["--bogus\(nasty)"], ["run", "print hi", "--bogus\(nasty)"],
      ["run", "print hi", "--color", nasty], ["lessons", nasty], ["--lesson", nasty],
      ["replay", "/nonexistent/\(nasty).md"], ["run", "throw K\(override)e"],
    ])
  func argumentsAreEscaped(arguments: [String]) throws {
    let finished = try scopelab.run(arguments)
    let shown = finished.output + finished.errors
    #expect(!shown.contains("\u{1B}"), "\(finished)")
    #expect(!shown.contains(Self.override), "\(finished)")
    #expect(shown.contains("\\u{202E}"), "\(finished)")
  }

  @Test("a line typed into the REPL from a pipe is quoted back escaped")
  func replInput() throws {
    let input = ["lesson \(Self.nasty)", "\(Self.nasty)", "run sleeep \(Self.nasty)"]
    let finished = try scopelab.run([], input: input.joined(separator: "\n") + "\n")
    let shown = finished.output + finished.errors
    #expect(!shown.contains("\u{1B}") && !shown.contains(Self.override), "\(finished)")
    #expect(shown.ranges(of: "\\u{1B}[31mx\\u{202E}").count == 3, "\(finished)")
  }
}
