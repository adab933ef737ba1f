import AsyncScope

extension Parser {
  /// One statement, starting at the current token (not a separator, `}` or the end).
  mutating func parseStatement() throws(ProgramError) -> Statement {
    let token = peek()
    guard let word = token.word else {
      if token.kind == .openBrace {
        throw ProgramError(
          "a block needs a scope or 'try' before it, like: scope A { ... }", at: token.position)
      }
      throw ProgramError("unexpected \(token.quoted) - expected a statement", at: token.position)
    }
    guard let keyword = word.literalText else {
      throw ProgramError(
        "a statement starts with a keyword, not a parameter: \(token.quoted)", at: token.position)
    }
    let position = token.position
    switch keyword {
    case "timeout", "runner", "process", "scope", "group":
      return try parseScopeStatement()
    case "task":
      guard groupDepth > 0 else {
        throw ProgramError(
          "'task' must be inside a 'group' block: group { task { sleep 1 } }", at: position)
      }
      advance()
      try enterNesting(at: position)
      taskDepth += 1
      let body = try parseBlock(of: "task")
      taskDepth -= 1
      depth -= 1
      return Statement(.task(body), position: position)
    case "sleep":
      advance()
      return Statement(.sleep(try parseDuration(after: keyword)), position: position)
    case "busy":
      advance()
      return Statement(.busy(try parseDuration(after: keyword)), position: position)
    case "reschedule":
      guard timeoutDepth > 0 else {
        throw ProgramError(
          "'reschedule' must be inside a 'timeout' block: timeout 2 { reschedule 5 }",
          at: position)
      }
      advance()
      return Statement(.reschedule(try parseDuration(after: keyword)), position: position)
    case "wait":
      guard processDepth > 0 else {
        throw ProgramError(
          "'wait' must be inside a 'process' block: process sleep 1 { wait }", at: position)
      }
      advance()
      return Statement(.wait, position: position)
    case "print":
      advance()
      return Statement(.print(try parseText(commaEnds: false)), position: position)
    case "throw":
      advance()
      let name = try parseName(after: "throw", example: "throw KeyError")
      return Statement(.throwError(name), position: position)
    case "return":
      guard taskDepth == 0 else {
        throw ProgramError(
          "'return' cannot end the program from inside a 'task', which runs beside the rest"
            + " - throw an error instead, or return after the group",
          at: position)
      }
      advance()
      let words = try parseText(commaEnds: false)
      guard words.count <= 1 else {
        throw ProgramError(
          "'return' takes one value - quote a value with spaces: return \"a b\"",
          at: words[1].position)
      }
      return Statement(.returnValue(words.first), position: position)
    case "try":
      return try parseTry()
    case "catch":
      throw ProgramError(
        "'catch' without 'try' - write: try { ... } catch NAME { ... }", at: position)
    default:
      throw unknownStatement(keyword, at: position)
    }
  }

  private func unknownStatement(_ keyword: String, at position: SourcePosition) -> ProgramError {
    if let suggestion = Suggestion.nearest(to: keyword, in: Self.statementKeywords) {
      return ProgramError(
        "unknown statement '\(keyword)' - did you mean '\(suggestion)'?", at: position)
    }
    let next = peek(1).kind
    if next == .openBrace || next == .openParen || next == .comma, Names.isValid(keyword) {
      return ProgramError(
        "unknown statement '\(keyword)' - to trace a scope named \(keyword), "
          + "write 'scope \(keyword)'",
        at: position)
    }
    let list = Self.statementKeywords.joined(separator: ", ")
    return ProgramError(
      "unknown statement '\(keyword)' - a statement starts with one of: \(list)", at: position)
  }

  /// The duration word after `keyword`; a literal must be a valid duration now.
  mutating func parseDuration(after keyword: String) throws(ProgramError) -> DurationExpr {
    let token = peek()
    guard let word = token.word else {
      throw ProgramError(
        "'\(keyword)' needs a duration, like: \(keyword) 1.5", at: token.position)
    }
    advance()
    try Self.checkDurationLiteral(word)
    return DurationExpr(word)
  }

  /// Rejects a literal that is not a duration (`nan`, `abc`); words with parameters are
  /// checked when they are resolved.
  static func checkDurationLiteral(_ word: Word) throws(ProgramError) {
    guard let text = word.literalText else { return }
    do throws(DurationError) {
      _ = try UserDuration(parsing: text)
    } catch {
      throw ProgramError(error.description, at: word.position)
    }
  }

  /// A name (`KeyError`, `A`, or a parameter) after `keyword`.
  mutating func parseName(after keyword: String, example: String) throws(ProgramError) -> Word {
    let token = peek()
    guard let word = token.word else {
      throw ProgramError(
        "'\(keyword)' needs a name, like: \(example)", at: token.position)
    }
    advance()
    if let text = word.literalText, let problem = Names.problem(with: text) {
      throw ProgramError(problem, at: word.position)
    }
    return word
  }

  /// Words up to the end of the statement (or a `,` when `commaEnds`). `(`, `)` and
  /// (for `print`) `,` are text here; touching pieces are glued into one word, so
  /// `print hello, world (again)` prints `hello, world (again)`.
  mutating func parseText(commaEnds: Bool) throws(ProgramError) -> [Word] {
    var words: [Word] = []
    var first = true
    while true {
      let token = peek()
      let piece: Word
      switch token.kind {
      case .word(let word):
        piece = word
      case .openParen:
        piece = Word(literal: "(", position: token.position)
      case .closeParen:
        piece = Word(literal: ")", position: token.position)
      case .comma where !commaEnds:
        piece = Word(literal: ",", position: token.position)
      default:
        return words
      }
      advance()
      if !first, !token.spaceBefore, !words.isEmpty {
        words[words.count - 1].append(contentsOf: piece)
      } else {
        words.append(piece)
      }
      first = false
    }
  }

  /// `try { ... } catch NAME { ... } ... catch { ... }`; a catch may start on the line
  /// after the `}` before it.
  mutating func parseTry() throws(ProgramError) -> Statement {
    let position = advance().position
    let savedDepth = depth
    try enterNesting(at: position)
    let body = try parseBlock(of: "try")
    var catches: [CatchClause] = []
    while true {
      let (token, offset) = peekPastNewlines()
      guard token.keyword == "catch" else { break }
      if let last = catches.last, last.errorName == nil {
        throw ProgramError(
          "this 'catch' can never run: the 'catch' before it already catches everything",
          at: token.position)
      }
      skip(offset + 1)
      var name: Word?
      if peek().word != nil {
        name = try parseName(after: "catch", example: "catch KeyError { ... }")
      }
      let owner = name.map { "catch \(Names.shortened($0.description))" } ?? "catch"
      let block = try parseBlock(of: owner)
      catches.append(CatchClause(errorName: name, body: block, position: token.position))
    }
    guard !catches.isEmpty else {
      throw ProgramError(
        "'try' needs a 'catch' after its block: try { ... } catch NAME { ... }",
        at: peek().position
      ).endingTooSoon(peekPastNewlines().token.kind == .end)
    }
    depth = savedDepth
    return Statement(.tryCatch(TryStatement(body: body, catches: catches)), position: position)
  }
}
