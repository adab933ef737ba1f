import Testing

@testable import ScopeLab

/// The one lexer serves the parser (all at once, the first error thrown) and the REPL's
/// continuation (a line at a time, reading on past errors): both must see the same tokens.
@Suite("Lexer")
struct LexerTests {
  private func tokens(_ source: String) -> [Token]? {
    var lexer = Lexer(source)
    return try? lexer.tokenize()
  }

  /// The tokens of `lines`, read a line (and its break) at a time.
  private func tokens(readingLines lines: [String]) -> (tokens: [Token], error: ProgramError?) {
    var lexer = Lexer()
    var read: [Token] = []
    for (index, line) in lines.enumerated() {
      if index > 0 { lexer.lex("\n") }
      lexer.lex(line)
      read += lexer.takeTokens()
    }
    do throws(ProgramError) {
      read += try lexer.tokenize()
      return (read, nil)
    } catch {
      return (read, error)
    }
  }

  @Test("a token keeps its text as written: quotes, escapes and parameters, less line joins")
  func textAsWritten() throws {
    let source = "print a\"b c\"'d'\\ e ${x}y \"q\\\"\\$\" (f,g) # note\nz\\\nw"
    let read = try #require(tokens(source))
    #expect(
      read.map(\.text) == [
        "print", "a\"b c\"'d'\\ e", "${x}y", "\"q\\\"\\$\"", "(", "f", ",", "g", ")", "\n", "zw",
        "",
      ])
    #expect(read.map(\.gap) == ["", " ", " ", " ", " ", "", "", "", "", "", "", ""])
    #expect(read[1].word?.literalText == "ab cd e")
  }

  @Test(
    "read a line at a time or in one piece, the tokens and the first error are the same",
    arguments: [
      "timeout 1 {\n  print \"a {\nb\" 'c\nd' \\\n e\n}", "print \"x\\\ny\" a\\\nb",
      "print ${sleep}$sleep \"$sleep\" # c {\nprint '#'", "print $$ {\n}", "print \"open\n{",
      "print a \\", "print \u{1} x\nprint ${", "scope A(suppress,\n  slow-exit=1) { }",
    ])
  func resumable(_ source: String) {
    var whole = Lexer(source)
    let expected: Result<[Token], ProgramError> = Result { () throws(ProgramError) in
      try whole.tokenize()
    }
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let (stepwise, error) = tokens(readingLines: lines)
    switch expected {
    case .success(let expected):
      #expect(error == nil)
      #expect(stepwise == expected)
    case .failure(let expected):
      #expect(error == expected)
    }
  }

  @Test("after an error the lexer reads on: what is open after it is still known")
  func readsOnAfterErrors() {
    for (source, quote) in [
      ("print $$ 'a", Lexer.Quote.single), ("print ${ \"a", .double),
      ("print \u{7} \"a", .double), ("print ${a b}'", .single),
    ] {
      var lexer = Lexer(source)
      #expect(lexer.openQuote?.quote == quote, "\(source)")
      #expect(lexer.firstError != nil, "\(source)")
      #expect(throws: ProgramError.self) { try lexer.tokenize() }
    }
  }

  @Test("the first error is the one thrown, wherever the lexer read on to")
  func firstErrorWins() {
    var lexer = Lexer("print $$ \u{1} 'open")
    #expect(
      throws: ProgramError(
        "'$$' is not a parameter - write $name (like $sleep); for a literal $ write \\$ or use single quotes",
        at: SourcePosition(line: 1, column: 7))
    ) {
      try lexer.tokenize()
    }
  }
}

/// Cases where a second scanner could have told a command's end otherwise than the
/// parser's lexer: the continuation now reads the lexer's tokens, so they agree.
@Suite("Continuation and parser agree")
struct ContinuationAgreementTests {
  /// Whether the continuation finds `lines` complete, and whether the parser's lexer
  /// finds an unclosed quote or a backslash at the end in them.
  private func agree(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    var scanner = ContinuationScanner()
    for (offset, line) in lines.enumerated() { scanner.scan(line, lineNumber: 1 + offset) }
    var lexer = Lexer(lines.joined(separator: "\n"))
    let quoteOpen = lexer.openQuote != nil
    #expect(
      (scanner.open.last?.isQuote == true) == quoteOpen, "\(lines)",
      sourceLocation: sourceLocation)
    if scanner.isComplete {
      // Nothing open: the lexer reads it to the end without an unclosed-input error.
      let error = Result { () throws(ProgramError) in try lexer.tokenize() }
      if case .failure(let error) = error {
        #expect(
          !error.message.hasPrefix("missing closing")
            && !error.message.hasPrefix("a backslash at the end"), "\(lines): \(error.message)",
          sourceLocation: sourceLocation)
      }
    }
  }

  @Test("quotes with escapes, braces in quotes, comments and unfinished input")
  func cases() {
    let cases: [([String], complete: Bool)] = [
      (["print \"a\\\"{\""], true),  // an escaped quote inside double quotes
      (["print \"a\\\\\" {"], false),  // an escaped backslash: the quote closes, '{' opens
      (["print 'a\\' {"], false),  // no escapes in single quotes: '{' opens
      (["print \"a\\'\" }"], true),  // \' in double quotes is two characters
      (["print \"{\" '}' \\{ {"], false),  // only the last brace counts
      (["print a # ' {"], true),  // a comment hides a quote and a brace
      (["print a#'"], false),  // '#' inside a word is text: the quote opens
      (["print \"#\" {"], false),
      (["print \"a\\", "b\""], true),  // a join inside double quotes
      (["print 'a\\", "b'"], true),  // a backslash in single quotes is text
      (["print a\\", "#b {"], false),  // the join continues the word: '#' is text
      (["print a \\", "# {"], true),  // a comment after a join between words
      (["print $\\", "{"], false),  // '$' then a join: the brace counts
      (["print ${x}{"], false),
      (["print \"${\" {"], false),
      (["print \"unterminated"], false),
      (["print a \\"], false),
      (["timeout 1 { print \"}\" }"], true),
    ]
    for (lines, complete) in cases {
      var scanner = ContinuationScanner()
      for (offset, line) in lines.enumerated() { scanner.scan(line, lineNumber: 1 + offset) }
      #expect(scanner.isComplete == complete, "\(lines)")
      agree(lines)
    }
  }

  @Test("random lines: the continuation's open quote is the lexer's")
  func randomLines() {
    var random = SeededRandom(seed: 18)
    let alphabet = Array("ab {}()'\"\\$#;,\t ")
    for _ in 0..<2_000 {
      let lines = (0..<Int.random(in: 1...4, using: &random)).map { _ in
        String(
          (0..<Int.random(in: 0...12, using: &random)).map { _ in
            alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
          })
      }
      agree(lines)
    }
  }
}
