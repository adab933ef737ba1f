/// Reads a command line by line and tells whether it goes on: while a `{`, an option
/// list's `(` or a quote is open, or a line ends with a backslash, the next line continues
/// the same command (DESIGN.md, "Contract: REPL commands").
///
/// The lines go through the ``Lexer`` as they come (it keeps its state from line to line),
/// so a brace inside quotes, after a backslash, in `${name}` or in a `#` comment does not
/// count, and a `}` with no open `{` is left for the parser to report. A `(` counts only
/// where it opens a scope's option list (`scope A(`): in `print :(` it is text.
///
/// As it reads, it writes the command on one line for the history (``oneLine``): the
/// tokens as written, comments dropped, and each line break outside quotes turned into
/// `; `, or into a space where a statement cannot end there (after `{`, `(`, `,` or `;`,
/// inside an option list, and before `}`, `)`, `{`, `;` or `catch`). A line break inside
/// quotes is kept: it is text.
struct ContinuationScanner {
  /// The prompt for a command's second and later lines, at the REPL and in transcripts
  /// (DESIGN.md).
  static let prompt = "...> "

  /// Something the command opened and has not closed yet.
  struct Opener: Equatable {
    enum Kind: Equatable {
      case brace
      case parenthesis
      case singleQuote
      case doubleQuote
    }

    var kind: Kind
    /// Where it was opened, in lines of the input.
    var position: SourcePosition

    /// How a message names it: `'{'`, `'('`, `quote '`, `quote "`.
    var quoted: String {
      switch kind {
      case .brace: "'{'"
      case .parenthesis: "'('"
      case .singleQuote: "quote '"
      case .doubleQuote: "quote \""
      }
    }

    var isQuote: Bool { kind == .singleQuote || kind == .doubleQuote }
  }

  /// What the command has opened and not closed, innermost last.
  var open: [Opener] {
    guard let (quote, position) = lexer.openQuote else { return structure }
    return structure + [
      Opener(kind: quote == .single ? .singleQuote : .doubleQuote, position: position)
    ]
  }
  /// The backslash that ends the last line and joins the next one to it, if there is one.
  private(set) var continuation: SourcePosition?
  /// The command so far, on one line (see the type's description); empty after
  /// ``dropOneLine()``.
  private(set) var oneLine = ""
  /// Whether ``oneLine`` is still written.
  private var writesOneLine = true

  private var lexer = Lexer()
  /// The braces and option lists open, innermost last.
  private var structure: [Opener] = []

  /// A piece of the command, for recognising `scope NAME(`.
  private enum Piece: Equatable {
    case word(String)
    case symbol(Character)
    case lineBreak
  }

  private enum Emitted: Equatable {
    case nothing
    case symbol(Character)
    case text
  }

  /// The last two pieces read.
  private var recent: [Piece] = []
  /// Whether a line break outside quotes waits for what follows it to be written.
  private var pendingBreak = false
  private var last = Emitted.nothing

  /// Whether the command is complete: nothing open, no backslash joining a next line.
  var isComplete: Bool { open.isEmpty && continuation == nil }

  /// Why input that ends now leaves the command unfinished, naming where; `nil` when it
  /// is complete.
  var unfinished: String? {
    if let opener = open.last {
      let at = opener.position
      return "the input ended inside the \(opener.quoted) opened at line \(at.line), "
        + "column \(at.column)"
    }
    if let at = continuation {
      return "the input ended after the '\\' at line \(at.line), column \(at.column), "
        + "which continues the line"
    }
    return nil
  }

  /// Stops writing ``oneLine`` and forgets it: the command is being skipped, and only
  /// where it ends still matters.
  mutating func dropOneLine() {
    writesOneLine = false
    oneLine = ""
  }

  /// Reads the next line of the command, which is line `lineNumber` of the input. A line
  /// break inside `line` (a recalled history entry) starts the next line number.
  mutating func scan(_ line: String, lineNumber: Int) {
    lexer.setLine(lineNumber)
    // The line ends here: the break read after it ends its last word, or is a join.
    lexer.lex(line)
    lexer.lex("\n")
    for token in lexer.takeTokens() { take(token) }
    continuation = lexer.joinedAt
  }

  // MARK: - Tokens

  private mutating func take(_ token: Token) {
    switch token.kind {
    case .newline:
      remember(.lineBreak)
      pendingBreak = true
    case .end:
      break
    case .word:
      let text = token.text
      write(token, text.contains(where: Self.isOtherLineBreak) ? Self.withNewlines(text) : text)
      remember(.word(text))
      last = .text
    default:
      guard let symbol = token.text.first else { return }
      write(token, token.text)
      bracket(token)
      remember(.symbol(symbol))
      last = .symbol(symbol)
    }
  }

  /// Opens or closes what a `{`, `}`, `(` or `)` token does.
  private mutating func bracket(_ token: Token) {
    switch token.kind {
    case .openBrace:
      structure.append(Opener(kind: .brace, position: token.position))
    case .closeBrace:
      if let brace = structure.lastIndex(where: { $0.kind == .brace }) {
        structure.removeSubrange(brace...)
      }
    case .openParen:
      if recent.count >= 2, recent[recent.count - 2] == .word("scope"),
        case .word = recent[recent.count - 1]
      {
        structure.append(Opener(kind: .parenthesis, position: token.position))
      }
    case .closeParen:
      if structure.last?.kind == .parenthesis { structure.removeLast() }
    default:
      break
    }
  }

  private mutating func remember(_ piece: Piece) {
    recent.append(piece)
    if recent.count > 2 { recent.removeFirst() }
  }

  // MARK: - The one-line form

  /// Writes `text`, the token's as it goes on the one line: after the space before it on
  /// its line, or after what the line break before it becomes.
  private mutating func write(_ token: Token, _ text: String) {
    guard writesOneLine else { return }
    if pendingBreak {
      pendingBreak = false
      oneLine += separator(before: token)
    } else {
      oneLine += token.gap
    }
    oneLine += text
  }

  /// What a line break outside quotes becomes before `next`.
  private func separator(before next: Token) -> String {
    switch last {
    case .nothing:
      return ""
    case .symbol(let previous) where "{(,;".contains(previous):
      return " "
    default:
      switch next.kind {
      case .closeBrace, .closeParen, .openBrace, .semicolon: return " "
      case .word where next.text == "catch": return " "
      default: return structure.last?.kind == .parenthesis ? " " : "; "
      }
    }
  }

  /// A line break inside quotes is written as `\n` whatever it was typed as.
  private static func isOtherLineBreak(_ character: Character) -> Bool {
    character != "\n" && SourceLines.isLineBreak(character)
  }

  private static func withNewlines(_ text: String) -> String {
    String(text.map { isOtherLineBreak($0) ? "\n" : $0 })
  }
}
