import AsyncScope
import Testing

@testable import ScopeLab

/// One input that must not parse: the message and where the caret goes.
struct ParseErrorCase: Sendable, CustomTestStringConvertible {
  var source: String
  var message: String
  var line: Int
  var column: Int

  init(_ source: String, _ message: String, _ line: Int, _ column: Int) {
    self.source = source
    self.message = message
    self.line = line
    self.column = column
  }

  var testDescription: String { source.debugDescription }
}

@Suite struct ParserErrorTests {
  static let notADuration = "is not a duration: write \(UserDuration.forms)"
  static let dollar =
    "is not a parameter - write $name (like $sleep); for a literal $ write \\$ or use single quotes"

  static let cases: [ParseErrorCase] = [
    // Unknown words, with suggestions.
    .init("timeout 2 { sleeep 1 }", "unknown statement 'sleeep' - did you mean 'sleep'?", 1, 13),
    .init("Sleep 1", "unknown statement 'Sleep' - did you mean 'sleep'?", 1, 1),
    .init("print a\n  rnuner { }", "unknown statement 'rnuner' - did you mean 'runner'?", 2, 3),
    .init("tmeout 1 { }", "unknown statement 'tmeout' - did you mean 'timeout'?", 1, 1),
    .init(
      "A, B { }", "unknown statement 'A' - to trace a scope named A, write 'scope A'", 1, 1),
    .init(
      "foo bar",
      "unknown statement 'foo' - a statement starts with one of: timeout, runner, process, "
        + "scope, group, task, sleep, busy, print, throw, try, return, wait, reschedule", 1, 1),
    .init(
      "task { sleep 1 }", "'task' must be inside a 'group' block: group { task { sleep 1 } }", 1, 1),
    .init(
      "scope A { task { } }", "'task' must be inside a 'group' block: group { task { sleep 1 } }",
      1, 11),
    .init(
      "group { task { return } }",
      "'return' cannot end the program from inside a 'task', which runs beside the rest"
        + " - throw an error instead, or return after the group", 1, 16),
    .init("group 2 { }", "expected '{' after 'group', found '2'", 1, 7),
    .init(
      "scope A(supress) { }", "unknown scope option 'supress' - did you mean 'suppress'?", 1, 9),
    .init(
      "scope A(suppress, throw_exit) { }",
      "unknown scope option 'throw_exit' - did you mean 'throw-exit'?", 1, 19),
    .init(
      "scope A(loud) { }",
      "unknown scope option 'loud' - options are: suppress, fail-enter, throw-exit, "
        + "slow-enter=D, slow-exit=D", 1, 9),
    .init(
      "$x 1", "a statement starts with a keyword, not a parameter: '$x'", 1, 1),
    // Braces and blocks.
    .init("timeout 2 { sleep 1", "missing '}' to close the block opened at 1:11", 1, 20),
    .init(
      "scope A {\n  scope B {\n  }\n", "missing '}' to close the block opened at 1:9", 4, 1),
    .init("print a }", "unexpected '}' - there is no open block to close", 1, 9),
    .init("scope A", "'scope A' needs a block: scope A { ... }", 1, 8),
    .init("runner; print a", "'runner' needs a block: runner { ... }", 1, 7),
    .init("timeout 2\n\nprint a", "'timeout 2' needs a block: timeout 2 { ... }", 1, 10),
    .init("runner foo { }", "expected '{' after 'runner', found 'foo'", 1, 8),
    .init("{ }", "a block needs a scope or 'try' before it, like: scope A { ... }", 1, 1),
    .init(
      "timeout 1 { } print x",
      "unexpected 'print' after the block - separate statements with ';' or a new line", 1, 15),
    .init(
      "sleep 1 2", "unexpected '2' after 'sleep' - separate statements with ';' or a new line",
      1, 9),
    .init("sleep 1 { }", "unexpected '{' - 'sleep' takes no block", 1, 9),
    .init("print (a) {", "unexpected '{' - 'print' takes no block", 1, 11),
    .init(", print a", "unexpected ',' - expected a statement", 1, 1),
    // try / catch.
    .init("catch X { }", "'catch' without 'try' - write: try { ... } catch NAME { ... }", 1, 1),
    .init(
      "try { } catch X { }; catch Y { }",
      "'catch' without 'try' - write: try { ... } catch NAME { ... }", 1, 22),
    .init(
      "try { }", "'try' needs a 'catch' after its block: try { ... } catch NAME { ... }", 1, 8),
    .init(
      "try { } catch { } catch X { }",
      "this 'catch' can never run: the 'catch' before it already catches everything", 1, 19),
    .init("try { } catch X", "'catch X' needs a block: catch X { ... }", 1, 16),
    // Statement arguments.
    .init("sleep", "'sleep' needs a duration, like: sleep 1.5", 1, 6),
    .init("timeout { }", "'timeout' needs a duration, like: timeout 1.5", 1, 9),
    .init("sleep nan", "'nan' \(notADuration)", 1, 7),
    .init("busy abc", "'abc' \(notADuration)", 1, 6),
    .init("timeout 1x { }", "'1x' \(notADuration)", 1, 9),
    .init("sleep \"\"", "'' is empty: write \(UserDuration.forms)", 1, 7),
    .init("sleep -inf", "'-inf' \(notADuration)", 1, 7),
    .init("throw", "'throw' needs a name, like: throw KeyError", 1, 6),
    .init(
      "throw \"x y\"",
      "'x y' is not a name - use letters, digits, '_', '-' and '.', starting with a letter", 1,
      7),
    .init(
      "return a b", "'return' takes one value - quote a value with spaces: return \"a b\"", 1, 10),
    .init(
      "process { }", "'process' needs a command to run, like: process sleep 10 { wait }", 1, 9),
    .init(
      "process echo a,b { }",
      "after ',' comes another scope (timeout, runner, process, scope or group), found 'b' - quote an "
        + "argument that holds a comma: 'a,b'", 1, 16),
    .init(
      "timeout 1, sleep 1 { }",
      "after ',' comes another scope (timeout, runner, process, scope or group), found 'sleep'", 1,
      12),
    .init("wait", "'wait' must be inside a 'process' block: process sleep 1 { wait }", 1, 1),
    .init(
      "timeout 1 { try { wait } catch { } }",
      "'wait' must be inside a 'process' block: process sleep 1 { wait }", 1, 19),
    .init(
      "process sleep 1 { }; reschedule 1",
      "'reschedule' must be inside a 'timeout' block: timeout 2 { reschedule 5 }", 1, 22),
    // Options.
    .init(
      "scope A() { }",
      "'()' holds no options - leave it out, or name some: suppress, fail-enter, throw-exit, "
        + "slow-enter=D, slow-exit=D", 1, 8),
    .init("scope A(suppress { }", "missing ')' to close the option list opened at 1:8", 1, 18),
    .init(
      "scope A(suppress fail-enter) { }",
      "expected an option, ',' or ')' in the option list, found 'fail-enter'", 1, 18),
    .init("scope A(suppress, suppress) { }", "option 'suppress' is given twice", 1, 19),
    .init(
      "scope A(slow-exit) { }", "option 'slow-exit' needs a duration, like: slow-exit=0.5", 1, 9),
    .init("scope A(suppress=1) { }", "option 'suppress' takes no value", 1, 9),
    .init("scope A(slow-exit=abc) { }", "'abc' \(notADuration)", 1, 19),
    .init(
      "scope A($o) { }",
      "an option is a keyword, not a parameter - options are: suppress, fail-enter, throw-exit, "
        + "slow-enter=D, slow-exit=D", 1, 9),
    // Lexical errors.
    .init("print \"abc", "missing closing \" for this quote", 1, 7),
    .init("print a\nprint 'abc\n\n", "missing closing ' for this quote", 2, 7),
    .init("print $$", "'$$' \(dollar)", 1, 7),
    .init("process sh -c \"kill -9 $$\" { wait }", "'$$' \(dollar)", 1, 24),
    .init(
      "print cost: 5$",
      "'$' must start a parameter name - write $name (like $sleep); for a literal $ write \\$ "
        + "or use single quotes",
      1, 14),
    .init("print ${x", "'${' must be followed by a parameter name and '}', like ${sleep}", 1, 7),
    .init("print ${1x}", "'${' must be followed by a parameter name and '}', like ${sleep}", 1, 7),
    .init("print a\\", "a backslash at the end of the program escapes nothing", 1, 8),
    .init("print a\u{0}b", "unexpected control character U+0000", 1, 8),
    .init("print 'a\u{1B}'", "unexpected control character U+001B", 1, 9),
  ]

  @Test(arguments: cases)
  func errorMessageAndPosition(_ errorCase: ParseErrorCase) {
    guard let error = parseError(errorCase.source) else { return }
    #expect(error.message == errorCase.message)
    #expect(error.line == errorCase.line)
    #expect(error.column == errorCase.column)
  }

  // MARK: - Ending too soon

  /// Programs that end where a next line could still bring their block, a `catch` or
  /// the scope after a `,` (the REPL reads on), and errors no next line can mend.
  @Test(arguments: [
    ("try { }", true), ("try { }\n\n", true), ("timeout 1", true), ("scope A(suppress)", true),
    ("timeout 1,", true), ("try { } catch X", true), ("runner\n", true),
    ("try { }; print x", false), ("timeout 1;", false), ("sleep", false), ("print x }", false),
    ("timeout 1, print", false), ("runner }", false),
  ])
  func endsTooSoon(_ source: String, _ expected: Bool) throws {
    let error = try #require(parseError(source))
    #expect(error.endsTooSoon == expected, "\(error.message)")
  }

  @Test func endingTooSoonIsNotPartOfEquality() {
    let error = ProgramError("'try' needs a 'catch'", at: .start)
    #expect(error.endingTooSoon() == error)
    #expect(error.endingTooSoon().endsTooSoon)
  }

  // MARK: - Rendering

  @Test func renderingShowsTheLineAndACaret() {
    let error = parseError("timeout 2 { sleeep 1 }")
    #expect(
      error?.rendered == """
        error: unknown statement 'sleeep' - did you mean 'sleep'?
         1 | timeout 2 { sleeep 1 }
           |             ^
        """)
    #expect(error?.description == error?.rendered)
  }

  @Test func renderingUsesTheRightLineAndKeepsTabs() {
    let source = (1...11).map { _ in "print a" }.joined(separator: "\n") + "\n\tsleep x"
    #expect(
      parseError(source)?.rendered == """
        error: 'x' is not a duration: write a number with a unit ns, us, ms, s, m (or min), h - bare numbers are seconds - or inf/none
         12 | \tsleep x
            | \t      ^
        """)
  }

  @Test func renderingAtTheEndOfALine() {
    #expect(
      parseError("print a\r\nscope A\r\nprint b")?.rendered == """
        error: 'scope A' needs a block: scope A { ... }
         2 | scope A
           |        ^
        """)
  }

  @Test func renderingCutsVeryLongLines() throws {
    let source = String(repeating: "print a; ", count: 200) + "sleeep 1"
    let error = try #require(parseError(source))
    #expect(error.column == 1801)
    let lines = error.rendered.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[1].count < 120)
    #expect(lines[1].hasPrefix(" 1 | ..."))
    let caret = try #require(lines[2].firstIndex(of: "^"))
    let caretOffset = lines[2].distance(from: lines[2].startIndex, to: caret)
    let shown = Array(lines[1])
    try #require(shown.count >= caretOffset + 6)
    #expect(String(shown[caretOffset..<(caretOffset + 6)]) == "sleeep")
  }

  @Test func renderingWithoutSource() {
    let error = ProgramError("unknown parameter '$x'", at: SourcePosition(line: 3, column: 4))
    #expect(error.rendered == "error: 3:4: unknown parameter '$x'")
    #expect(
      error.withSource("a\nb\nsleep $x").rendered == """
        error: unknown parameter '$x'
         3 | sleep $x
           |    ^
        """)
  }

  // MARK: - Limits

  @Test func deepNestingIsAnErrorNotACrash() throws {
    let depth = 10_000
    let source =
      String(repeating: "scope A { ", count: depth) + String(repeating: "}", count: depth)
    let error = try #require(parseError(source))
    #expect(error.message == "scopes and blocks are nested more than 100 deep")
    #expect(error.position == SourcePosition(line: 1, column: 1 + 10 * 100))
  }

  @Test func nestingUpToTheLimitParses() {
    let source =
      String(repeating: "try { ", count: 50) + String(repeating: "timeout 1, ", count: 50)
      + "runner"
    let error = parseError(source + " { }" + String(repeating: " } catch { }", count: 50))
    #expect(error?.message == "scopes and blocks are nested more than 100 deep")
    let fits =
      String(repeating: "try { ", count: 50) + String(repeating: "timeout 1, ", count: 50)
      + "sleep 0" + String(repeating: " } catch { }", count: 50)
    #expect(parseError(fits)?.message.hasPrefix("after ','") == true)
    let exactly =
      String(repeating: "try { ", count: 50) + String(repeating: "timeout 1, ", count: 49)
      + "runner { }" + String(repeating: " } catch { }", count: 50)
    #expect(parsed(exactly) != nil)
  }

  @Test(arguments: [
    String(repeating: "{", count: 10_000), String(repeating: "}", count: 10_000),
    String(repeating: "(", count: 10_000), String(repeating: "\"", count: 9_999),
    "scope A" + String(repeating: "(", count: 10_000),
  ])
  func pathologicalInputFailsCleanly(source: String) {
    #expect(parseError(source) != nil)
  }

  @Test func longInputIsAccepted() throws {
    let source = String(repeating: "sleep 0\n", count: 100_000)
    let program = try #require(parsed(source))
    #expect(program.statements.count == 100_000)
    #expect(program.statements.last?.position == SourcePosition(line: 100_000, column: 1))
  }

  @Test func longWordsParse() throws {
    let long = String(repeating: "a", count: 100_000)
    let glued = String(repeating: "b(", count: 50_000)
    let program = try #require(parsed("print \(long) \"\(long)\" \(glued)"))
    guard case .print(let words) = program.statements.first?.kind else { return }
    #expect(words.map { $0.literalText?.count } == [100_000, 100_000, 100_000])
  }

  @Test func tooLongInputIsAnError() throws {
    let source = String(repeating: "#", count: Program.maximumSourceBytes + 1)
    let error = try #require(parseError(source))
    #expect(error.message == "the program is too long: 1000001 bytes, the limit is 1000000")
    #expect(error.position == .start)
  }
}
