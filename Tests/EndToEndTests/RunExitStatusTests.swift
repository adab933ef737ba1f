import TestSupport
import Testing

/// `scopelab run`'s exit status (DESIGN.md "Contract: command line"): 0 ok, 1 an
/// error outcome, 2 invalid input - and what it writes where.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RunExitStatusTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  /// A program, the status it ends with, and the last line of its trace.
  struct Outcome: CustomTestStringConvertible, Sendable {
    var program: String
    var status: Int32
    var lastLine: String

    var testDescription: String { program }
  }

  // MARK: - Outcomes: 0 and 1

  static let outcomes: [Outcome] = [
    Outcome(program: "print hello", status: 0, lastLine: "ok"),
    Outcome(program: "return 42", status: 0, lastLine: "ok: returned 42"),
    Outcome(program: "timeout 0.2 { sleep 5 }", status: 1, lastLine: "TimeoutError"),
    Outcome(program: "throw KeyError", status: 1, lastLine: "KeyError"),
    Outcome(program: "scope A { throw Boom }", status: 1, lastLine: "Boom"),
    Outcome(
      program: "process no-such-command-for-scopelab { wait }", status: 1,
      lastLine: "FileNotFoundError"),
  ]

  @Test(arguments: outcomes)
  func exitsWithTheOutcomesStatus(_ outcome: Outcome) throws {
    let finished = try scopelab.run(["run", outcome.program])
    #expect(finished.status == outcome.status, "\(finished)")
    let last = try #require(finished.lines.last, "\(finished)")
    #expect(last.contains(outcome.lastLine), "\(finished)")
    #expect(finished.errors.isEmpty, "\(finished)")
  }

  @Test func aProcessThatIsNotFoundFailsItsEnterAndNeverExits() throws {
    let finished = try scopelab.run(["run", "process no-such-command-for-scopelab { wait }"])
    #expect(finished.status == 1)
    #expect(finished.output.contains("enter-failed process#1: FileNotFoundError"), "\(finished)")
    #expect(!finished.output.contains("exit process#1"), "\(finished)")
    #expect(!finished.output.contains("started pid"), "\(finished)")
  }

  @Test func aNonZeroChildStatusIsAResultNotAnError() throws {
    let finished = try scopelab.run(["run", "process sh -c 'exit 3' { wait }"])
    #expect(finished.status == 0, "\(finished)")
    #expect(finished.output.contains("exited(3)"), "\(finished)")
  }

  // MARK: - Invalid input: 2

  /// A program with a parse error, and the text the caret must sit under (its last
  /// occurrence in the line).
  struct ParseError: CustomTestStringConvertible, Sendable {
    var program: String
    var line: Int
    var sourceLine: String
    var caretUnder: String
    var message: String

    var testDescription: String { program }
  }

  static let parseErrors: [ParseError] = [
    ParseError(
      program: "sleeep 1", line: 1, sourceLine: "sleeep 1", caretUnder: "sleeep",
      message: "did you mean 'sleep'"),
    ParseError(
      program: "print $nope", line: 1, sourceLine: "print $nope", caretUnder: "$nope",
      message: "nope"),
    ParseError(
      program: "print a\ntimeout 2 { sleep 1; bogus }", line: 2,
      sourceLine: "timeout 2 { sleep 1; bogus }", caretUnder: "bogus", message: "bogus"),
    ParseError(
      program: "timeout 2 { sleep 1 } }", line: 1, sourceLine: "timeout 2 { sleep 1 } }",
      caretUnder: "}", message: "}"),
  ]

  @Test(arguments: parseErrors)
  func aParseErrorShowsTheLineAndACaretOnStandardError(_ error: ParseError) throws {
    let finished = try scopelab.run(["run", error.program])
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.output.isEmpty, "nothing runs: \(finished)")
    #expect(finished.errors.contains(error.message), "\(finished)")
    let lines = finished.errors.split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    let sourceIndex = try #require(
      lines.firstIndex { $0.hasSuffix(error.sourceLine) && $0.contains("|") }, "\(finished)")
    let source = lines[sourceIndex]
    #expect(source.split(separator: "|").first?.contains("\(error.line)") == true, "\(finished)")
    let caretLine = try #require(lines.dropFirst(sourceIndex + 1).first, "\(finished)")
    let caret = try #require(caretLine.firstIndex(of: "^"), "no caret: \(finished)")
    let target = try #require(source.ranges(of: error.caretUnder).last, "\(finished)")
    let caretColumn = caretLine.distance(from: caretLine.startIndex, to: caret)
    let targetColumn = source.distance(from: source.startIndex, to: target.lowerBound)
    #expect(caretColumn == targetColumn, "caret misplaced: \(finished)")
  }

  static let invalidArguments: [[String]] = [
    ["run", "sleep $sleep", "--set", "sleep=nan"],
    ["run", "sleep $sleep", "--set", "sleep=soon"],
    ["run", "sleep 0", "--set", "nope=1"],
    ["run", "sleep 0", "--set", "sleep"],
    ["run", "sleep 0", "--bogus"],
    ["run", "sleep 0", "--trace-format", "xml"],
    ["run"],
    ["run", "timeout 2 { sleep 1"],
    ["no-such-subcommand"],
  ]

  @Test(arguments: invalidArguments)
  func invalidInputExitsWithTwoAndSaysWhy(_ arguments: [String]) throws {
    let finished = try scopelab.run(arguments)
    #expect(finished.status == 2, "\(finished)")
    #expect(!finished.errors.isEmpty, "\(finished)")
    #expect(!finished.output.contains("ok"), "nothing ran: \(finished)")
  }

  @Test func aBadSetValueNamesTheValue() throws {
    let finished = try scopelab.run(["run", "sleep $sleep", "--set", "sleep=nan"])
    #expect(finished.status == 2)
    #expect(finished.errors.contains("nan"), "\(finished)")
    #expect(finished.errors.split(separator: "\n").count <= 3, "short: \(finished)")
  }

  @Test func aSetValueIsUsed() throws {
    let finished = try scopelab.run([
      "run", "timeout $timeout { sleep $sleep }", "--set", "sleep=2", "--set", "timeout=100ms",
    ])
    #expect(finished.status == 1, "\(finished)")
    #expect(finished.lines.last?.contains("TimeoutError") == true, "\(finished)")
  }

  // MARK: - Help and version

  @Test func helpAndVersionExitZero() throws {
    let help = try scopelab.run(["--help"])
    #expect(help.status == 0)
    #expect(help.output.contains("USAGE"), "\(help)")
    #expect(help.output.contains("run"), "\(help)")
    let runHelp = try scopelab.run(["run", "--help"])
    #expect(runHelp.status == 0)
    #expect(runHelp.output.contains("--trace-format"), "\(runHelp)")
    let version = try scopelab.run(["--version"])
    #expect(version.status == 0)
    let text = version.output.trimmingSpaces()
    #expect(text.split(separator: ".").count == 3, "\(version)")
    #expect(text.allSatisfy { $0.isNumber || $0 == "." }, "\(version)")
  }
}
