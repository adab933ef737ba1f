extension Parser {
  /// `A { ... }` or `A, B, ... { ... }`, where each of A, B is a scope header.
  mutating func parseScopeStatement() throws(ProgramError) -> Statement {
    let position = peek().position
    let saved = (depth, processDepth, timeoutDepth, groupDepth)
    var headers: [ScopeHeader] = []
    while true {
      let header = try parseScopeHeader()
      try enterNesting(at: header.position)
      switch header.kind {
      case .timeout: timeoutDepth += 1
      case .process: processDepth += 1
      case .group: groupDepth += 1
      case .runner, .named: break
      }
      headers.append(header)
      guard peek().kind == .comma else { break }
      let comma = advance()
      skipNewlines()
      let next = peek()
      guard let keyword = next.keyword, ScopeHeader.keywords.contains(keyword) else {
        var message =
          "after ',' comes another scope (timeout, runner, process, scope or group), "
          + "found \(next.quoted)"
        if case .process = header.kind, !comma.spaceBefore, !next.spaceBefore {
          message += " - quote an argument that holds a comma: 'a,b'"
        }
        throw ProgramError(message, at: next.position).endingTooSoon(next.kind == .end)
      }
    }
    let owner = headers.last.map(Self.describe) ?? "scope"
    let body = try parseBlock(of: owner)
    (depth, processDepth, timeoutDepth, groupDepth) = saved
    return Statement(.scope(ScopeStatement(headers: headers, body: body)), position: position)
  }

  /// How an error message names a header: `timeout 2`, `process sleep 10`, `scope A`.
  private static func describe(_ header: ScopeHeader) -> String {
    let text = ProgramPrinter.header(header)
    return text.count > 40 ? String(text.prefix(37)) + "..." : text
  }

  /// One scope header; the current token is its keyword.
  private mutating func parseScopeHeader() throws(ProgramError) -> ScopeHeader {
    let token = advance()
    let position = token.position
    switch token.keyword {
    case "timeout":
      return ScopeHeader(.timeout(try parseDuration(after: "timeout")), position: position)
    case "process":
      let arguments = try parseText(commaEnds: true)
      guard !arguments.isEmpty else {
        throw ProgramError(
          "'process' needs a command to run, like: process sleep 10 { wait }",
          at: peek().position)
      }
      return ScopeHeader(.process(arguments), position: position)
    case "scope":
      let name = try parseName(after: "scope", example: "scope A { ... }")
      let options = try parseOptions()
      return ScopeHeader(.named(name, options: options), position: position)
    case "group":
      return ScopeHeader(.group, position: position)
    default:
      return ScopeHeader(.runner, position: position)
    }
  }

  /// `(suppress, throw-exit, slow-exit=0.5)` after a scope name, or nothing.
  private mutating func parseOptions() throws(ProgramError) -> [ScopeOption] {
    guard peek().kind == .openParen else { return [] }
    let open = advance()
    skipNewlines()
    if peek().kind == .closeParen {
      throw ProgramError(
        "'()' holds no options - leave it out, or name some: \(Self.optionList)",
        at: open.position)
    }
    var options: [ScopeOption] = []
    while true {
      let token = peek()
      guard let word = token.word else {
        throw optionListError(found: token, open: open)
      }
      advance()
      let option = try parseOption(word)
      if options.contains(where: { $0.name == option.name }) {
        throw ProgramError("option '\(option.name)' is given twice", at: option.position)
      }
      options.append(option)
      skipNewlines()
      let separator = advance()
      switch separator.kind {
      case .closeParen:
        return options
      case .comma:
        skipNewlines()
      default:
        throw optionListError(found: separator, open: open)
      }
    }
  }

  private static let optionList = "suppress, fail-enter, throw-exit, slow-enter=D, slow-exit=D"

  private func optionListError(found token: Token, open: Token) -> ProgramError {
    switch token.kind {
    case .end, .openBrace, .semicolon, .closeBrace:
      ProgramError(
        "missing ')' to close the option list opened at \(open.position)", at: token.position)
    default:
      ProgramError(
        "expected an option, ',' or ')' in the option list, found \(token.quoted)",
        at: token.position)
    }
  }

  /// One option: `suppress`, or `slow-enter=0.5` (name, `=`, duration in one word).
  private func parseOption(_ word: Word) throws(ProgramError) -> ScopeOption {
    guard case .literal(let head)? = word.parts.first else {
      throw ProgramError(
        "an option is a keyword, not a parameter - options are: \(Self.optionList)",
        at: word.position)
    }
    let name: String
    var value: Word?
    if let equals = head.firstIndex(of: "=") {
      name = String(head[..<equals])
      let rest = String(head[head.index(after: equals)...])
      let valuePosition = SourcePosition(
        line: word.position.line, column: word.position.column + name.count + 1)
      value = Word([.literal(rest)] + word.parts.dropFirst(), position: valuePosition)
    } else {
      guard let text = word.literalText else {
        throw ProgramError("write an option's value after '=': slow-exit=$delay", at: word.position)
      }
      name = text
    }
    let position = word.position
    switch name {
    case "suppress", "fail-enter", "throw-exit":
      guard value == nil else {
        throw ProgramError("option '\(name)' takes no value", at: position)
      }
      let kind: ScopeOption.Kind =
        name == "suppress" ? .suppress : name == "fail-enter" ? .failEnter : .throwExit
      return ScopeOption(kind, position: position)
    case "slow-enter", "slow-exit":
      guard let value, !value.parts.isEmpty else {
        throw ProgramError(
          "option '\(name)' needs a duration, like: \(name)=0.5", at: position)
      }
      try Self.checkDurationLiteral(value)
      let duration = DurationExpr(value)
      let kind: ScopeOption.Kind =
        name == "slow-enter" ? .slowEnter(duration) : .slowExit(duration)
      return ScopeOption(kind, position: position)
    default:
      let names = ScopeOption.flagNames + ScopeOption.durationNames
      if let suggestion = Suggestion.nearest(to: name, in: names) {
        throw ProgramError(
          "unknown scope option '\(name)' - did you mean '\(suggestion)'?", at: position)
      }
      throw ProgramError(
        "unknown scope option '\(Names.shortened(name))' - options are: \(Self.optionList)",
        at: position)
    }
  }
}
