/// Turns the lexer's tokens into a ``Program``: recursive descent, one statement at a
/// time, with nesting limited to ``maximumDepth`` so no input can overflow the stack.
struct Parser {
  /// The deepest nesting of scopes and `try`/`catch` blocks accepted.
  static let maximumDepth = 100

  /// The words that can start a statement, for "did you mean" suggestions.
  static let statementKeywords = [
    "timeout", "runner", "process", "scope", "group", "task", "sleep", "busy", "print", "throw",
    "try", "return", "wait", "reschedule",
  ]

  private var tokens: [Token]
  private var index = 0
  /// How many scopes and try/catch blocks enclose the current statement.
  var depth = 0
  /// How many `process` / `timeout` scopes enclose it (for `wait`, `reschedule`).
  var processDepth = 0
  var timeoutDepth = 0
  /// How many `group` scopes enclose it (for `task`), and how many `task` blocks (for
  /// `return`, which cannot end the program from a concurrent task).
  var groupDepth = 0
  var taskDepth = 0

  init(tokens: [Token]) {
    self.tokens = tokens
  }

  /// Parses the whole token stream.
  mutating func parseProgram() throws(ProgramError) -> Program {
    Program(try parseStatements(closingBlockOpenedAt: nil))
  }

  // MARK: Tokens

  /// The current token (the `.end` token once everything is consumed).
  func peek(_ offset: Int = 0) -> Token {
    tokens[min(index + offset, tokens.count - 1)]
  }

  /// Consumes and returns the current token.
  @discardableResult
  mutating func advance() -> Token {
    let token = peek()
    index = min(index + 1, tokens.count - 1)
    return token
  }

  /// Skips line breaks (not `;`): a block or a `catch` may start on the next line.
  mutating func skipNewlines() {
    while peek().kind == .newline { advance() }
  }

  /// The token after any line breaks, without consuming anything.
  func peekPastNewlines() -> (token: Token, offset: Int) {
    var offset = 0
    while peek(offset).kind == .newline, peek(offset).kind != .end { offset += 1 }
    return (peek(offset), offset)
  }

  mutating func skip(_ count: Int) {
    for _ in 0..<count { advance() }
  }

  // MARK: Statement lists and blocks

  /// Statements up to the end of input (`open == nil`) or up to the `}` closing the
  /// block opened at `open` (left for the caller to consume).
  mutating func parseStatements(
    closingBlockOpenedAt open: SourcePosition?
  ) throws(ProgramError) -> [Statement] {
    var statements: [Statement] = []
    while true {
      let token = peek()
      switch token.kind {
      case .semicolon, .newline:
        advance()
      case .end:
        if let open {
          throw ProgramError(
            "missing '}' to close the block opened at \(open)", at: token.position)
        }
        return statements
      case .closeBrace:
        if open != nil { return statements }
        throw ProgramError("unexpected '}' - there is no open block to close", at: token.position)
      default:
        let statement = try parseStatement()
        statements.append(statement)
        try expectStatementEnd(after: statement)
      }
    }
  }

  /// After a statement comes `;`, a line break, the `}` of its block, or the end.
  private func expectStatementEnd(after statement: Statement) throws(ProgramError) {
    let token = peek()
    switch token.kind {
    case .semicolon, .newline, .closeBrace, .end:
      return
    case .openBrace:
      throw ProgramError(
        "unexpected '{' - '\(Self.keyword(of: statement))' takes no block", at: token.position)
    default:
      let what: String
      if case .scope = statement.kind {
        what = "after the block"
      } else if case .task = statement.kind {
        what = "after the block"
      } else if case .tryCatch = statement.kind {
        what = "after the block"
      } else {
        what = "after '\(Self.keyword(of: statement))'"
      }
      throw ProgramError(
        "unexpected \(token.quoted) \(what) - separate statements with ';' or a new line",
        at: token.position)
    }
  }

  private static func keyword(of statement: Statement) -> String {
    switch statement.kind {
    case .scope(let scope): scope.headers.last?.keyword ?? "scope"
    case .sleep: "sleep"
    case .busy: "busy"
    case .print: "print"
    case .throwError: "throw"
    case .tryCatch: "try"
    case .returnValue: "return"
    case .wait: "wait"
    case .reschedule: "reschedule"
    case .task: "task"
    }
  }

  /// A `{ ... }` block belonging to `owner` (`timeout 2`, `try`, `catch KeyError`),
  /// which may start on the next line.
  mutating func parseBlock(of owner: String) throws(ProgramError) -> Block {
    let (open, offset) = peekPastNewlines()
    guard open.kind == .openBrace else {
      let token = peek()
      switch token.kind {
      case .semicolon, .newline, .end, .closeBrace:
        throw ProgramError(
          "'\(owner)' needs a block: \(owner) { ... }", at: token.position
        ).endingTooSoon(open.kind == .end)
      default:
        throw ProgramError(
          "expected '{' after '\(owner)', found \(token.quoted)", at: token.position)
      }
    }
    skip(offset + 1)
    let statements = try parseStatements(closingBlockOpenedAt: open.position)
    let close = advance()
    return Block(statements, position: open.position, end: close.position)
  }

  /// Counts one more level of nesting at `position`, failing past ``maximumDepth``.
  mutating func enterNesting(at position: SourcePosition) throws(ProgramError) {
    depth += 1
    guard depth <= Self.maximumDepth else {
      throw ProgramError(
        "scopes and blocks are nested more than \(Self.maximumDepth) deep", at: position)
    }
  }
}
