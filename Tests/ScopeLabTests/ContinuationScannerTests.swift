import Testing

@testable import ScopeLab

@Suite("Continuation scanner")
struct ContinuationScannerTests {
  /// The scanner after reading `lines`, numbered from `firstLine`.
  private func scan(_ lines: [String], firstLine: Int = 1) -> ContinuationScanner {
    var scanner = ContinuationScanner()
    for (offset, line) in lines.enumerated() {
      scanner.scan(line, lineNumber: firstLine + offset)
    }
    return scanner
  }

  private func opener(_ kind: ContinuationScanner.Opener.Kind, _ line: Int, _ column: Int)
    -> ContinuationScanner.Opener
  {
    ContinuationScanner.Opener(kind: kind, position: SourcePosition(line: line, column: column))
  }

  // MARK: - What is open

  @Test(
    "a line with nothing left open is complete",
    arguments: [
      "timeout 1 { sleep 0.1 }", "print hi", "", "# a comment {", "print '{'", "print \"}{(\"",
      "print \\{", "print a # {", "print ${sleep}", "print \"${sleep}\"", "}", "print x }",
      "timeout 1 { }}", "print :(", "print f(x", "print a)", "process sh -c 'echo {' { wait }",
      "scope A(suppress) { }", "print \"a\\\"{\"", "print 'a\\' { }",
    ])
  func complete(_ line: String) {
    let scanner = scan([line])
    #expect(scanner.isComplete)
    #expect(scanner.open.isEmpty)
    #expect(scanner.unfinished == nil)
  }

  @Test("an open brace is remembered where it was opened, innermost last")
  func openBraces() {
    let scanner = scan(["timeout 1 { scope A {"], firstLine: 3)
    #expect(!scanner.isComplete)
    #expect(scanner.open == [opener(.brace, 3, 11), opener(.brace, 3, 21)])
    #expect(scanner.unfinished == "the input ended inside the '{' opened at line 3, column 21")
  }

  @Test("closing braces on later lines complete the command")
  func closedLater() {
    var scanner = scan(["timeout 1 {", "  scope A {"])
    #expect(scanner.open.count == 2)
    scanner.scan("  }", lineNumber: 3)
    #expect(scanner.open == [opener(.brace, 1, 11)])
    scanner.scan("}", lineNumber: 4)
    #expect(scanner.isComplete)
  }

  @Test("a '#' inside a word starts no comment: the brace after it counts")
  func hashInWord() {
    #expect(scan(["print a#{"]).open == [opener(.brace, 1, 9)])
  }

  @Test("a '(' counts only where it opens a scope's option list")
  func optionList() {
    #expect(scan(["scope A(suppress,"]).open == [opener(.parenthesis, 1, 8)])
    #expect(scan(["timeout 1, scope B (slow-exit=1,"]).open == [opener(.parenthesis, 1, 20)])
    #expect(scan(["scope A(suppress,", "throw-exit) {"]).open == [opener(.brace, 2, 13)])
    #expect(scan(["scope A(suppress, throw-exit) { print x }"]).isComplete)
  }

  @Test("a '}' closes the innermost '{' and whatever was left open inside it")
  func braceClosesOptionList() {
    #expect(scan(["timeout 1 { scope A(suppress }"]).isComplete)
  }

  @Test("quotes stay open across lines, and braces inside them do not count")
  func quotes() {
    #expect(scan(["print \"a {"]).open == [opener(.doubleQuote, 1, 7)])
    #expect(
      scan(["timeout 1 { print 'it"]).open == [opener(.brace, 1, 11), opener(.singleQuote, 1, 19)])
    #expect(
      scan(["print \"a {"]).unfinished
        == "the input ended inside the quote \" opened at line 1, column 7")
    #expect(scan(["print 'a {", "b }'"]).isComplete)
  }

  @Test("a backslash at the end of a line joins the next one")
  func backslash() {
    let scanner = scan(["print a \\"], firstLine: 4)
    #expect(!scanner.isComplete)
    #expect(scanner.open.isEmpty)
    #expect(scanner.continuation == SourcePosition(line: 4, column: 9))
    #expect(
      scanner.unfinished
        == "the input ended after the '\\' at line 4, column 9, which continues the line")
    #expect(scan(["print a \\", "b"]).isComplete)
    #expect(scan(["print a \\\\"]).isComplete, "an escaped backslash continues nothing")
    #expect(scan(["print a # \\"]).isComplete, "a backslash in a comment continues nothing")
    #expect(scan(["print 'a \\"]).open == [opener(.singleQuote, 1, 7)])
  }

  @Test("a line break inside a line (a recalled history entry) is a line of its own")
  func embeddedLineBreak() {
    #expect(scan(["timeout 1 {\nprint hi"]).open == [opener(.brace, 1, 11)])
    #expect(scan(["timeout 1 {\nprint hi }"]).isComplete)
    #expect(scan(["print \"a\n{"]).open == [opener(.doubleQuote, 1, 7)])
  }

  // MARK: - One line for the history

  @Test(
    "the one-line form: comments dropped, line breaks become '; ' or a space",
    arguments: [
      (["timeout 1 {", "  print hi", "}"], "timeout 1 { print hi }"),
      (
        ["timeout 1 { # start", "  sleep 0.1   # nap", "", "  print done", "}"],
        "timeout 1 { sleep 0.1; print done }"
      ),
      (
        ["try {", "  throw KeyError", "}", "catch KeyError {", "}"],
        "try { throw KeyError } catch KeyError { }"
      ),
      (["timeout 1", "{", "print x }"], "timeout 1 { print x }"),
      (
        ["scope A(suppress,", "    throw-exit) { print x }"],
        "scope A(suppress, throw-exit) { print x }"
      ),
      (["scope A(", "suppress", ") { }"], "scope A( suppress ) { }"),
      (["timeout 1,", "runner { }"], "timeout 1, runner { }"),
      (["print a \\", "  b"], "print a   b"),
      (["print a\\", "b"], "print ab"),
      (["print \"x\\", "y\""], "print \"xy\""),
      (["print \"a", "b\""], "print \"a\nb\""),
      (["print 'a\\", "b'"], "print 'a\\\nb'"),
      (["print a\\ ", "print b"], "print a\\ ; print b"),
      (["print \\{ {", "print b }"], "print \\{ { print b }"),
      (["runner {", "  print a; ", "  print b;", "}"], "runner { print a; print b; }"),
      (["print a '#' {", "}"], "print a '#' { }"),
    ])
  func oneLine(_ lines: [String], _ expected: String) throws {
    let scanner = scan(lines)
    #expect(scanner.isComplete)
    #expect(scanner.oneLine == expected)
  }

  @Test(
    "the one-line form of a program parses to the same program as its lines",
    arguments: [
      ["timeout 1 {", "  print hi   # greet", "  sleep 0.1", "}", "print after"],
      ["try {", "  timeout 0.1 { sleep 1 }", "}", "catch TimeoutError {", "  print caught", "}"],
      ["scope A(suppress,", "  slow-exit=0.1)", "{", "  throw KeyError", "}"],
      ["timeout 1,", "  runner,", "  scope B { print x }"],
      ["process sh -c \\", "  'echo hi' { wait }"],
      ["print \"a", "b\"", "print c"],
    ])
  func oneLineMeansTheSame(_ lines: [String]) throws {
    let scanner = scan(lines)
    #expect(scanner.isComplete)
    let original = try Program(parsing: lines.joined(separator: "\n"))
    let joined = try Program(parsing: scanner.oneLine)
    #expect(joined.formatted() == original.formatted(), "\(scanner.oneLine)")
  }

  @Test("generated programs, read line by line: complete at the end, one line that means the same")
  func generatedPrograms() throws {
    var generator = ParserProgramGenerator(seed: 11)
    for _ in 0..<1_000 {
      let program = generator.program()
      let text = program.formatted(.multiline)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let scanner = scan(lines)
      #expect(scanner.isComplete, "\(text)")
      do throws(ProgramError) {
        let joined = try Program(parsing: scanner.oneLine)
        #expect(joined.formatted() == text, "\(text)\n->\n\(scanner.oneLine)")
      } catch {
        Issue.record("the one-line form does not parse:\n\(scanner.oneLine)\n\(error.rendered)")
      }
    }
  }
}
