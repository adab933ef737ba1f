/// Splits a scope program into tokens, shell style.
///
/// - `{ } ( ) , ;` and line breaks are tokens of their own wherever they are not quoted
///   or escaped.
/// - Everything else forms words. In a word, `'...'` is literal text (no expansion, no
///   escapes); `"..."` expands `$name` and takes `\"`, `\\` and `\$` as escapes (any
///   other backslash stays); outside quotes a backslash makes the next character
///   literal. A backslash before a line break joins the lines.
/// - `$name` and `${name}` are parameters (outside single quotes). A `$` that does not
///   start a name (`$$`, `$1`, a lone `$`) is an error: write `\$` or quote it.
/// - `#` where a token would start begins a comment to the end of the line.
/// - Control characters other than tab are an error, quoted or not.
///
/// The one lexer of the scope language: the parser takes its tokens at once
/// (``tokenize()``), and the REPL feeds it a command a line at a time as the lines come
/// (``lex(_:)``, ``takeTokens()``) to tell whether the command goes on
/// (``ContinuationScanner``). It reads any text: an error is remembered (the first one,
/// thrown by ``tokenize()``) and reading goes on, so what is open is known for any input.
/// Each token keeps its text as written (``Token/text``).
struct Lexer {
  /// A quote, as ``openQuote`` names it.
  enum Quote: Equatable {
    case single
    case double
  }

  /// Where the lexer is: between tokens, in a comment, in a word or in quotes in a word.
  private enum Context: Equatable {
    case between
    case comment
    case word
    case quoted(Quote, opened: SourcePosition)
  }

  /// Something begun that the next character finishes or goes on with.
  private enum Pending: Equatable {
    case none
    /// A backslash: the next character is escaped (or, a line break, joins the lines).
    case backslash(SourcePosition)
    /// A `$` that the next character makes a parameter or an error.
    case dollar(SourcePosition)
    /// `${` and the name read so far.
    case bracedName(String, dollar: SourcePosition)
    /// `$` and the name read so far.
    case name(String, dollar: SourcePosition)
  }

  private var line = 1
  private var column = 1
  private var context = Context.between
  private var pending = Pending.none
  /// The word being read, its start and its text as written.
  private var word = Word([], position: .start)
  private var wordText = ""
  /// Literal text of the word being read, not yet added to it (appending a character at a
  /// time to the word's last part would copy it each time).
  private var literal = ""
  /// Whether whitespace, a comment, a line break or the start comes before the next token.
  private var spaceBefore = true
  /// The whitespace written since the last token on this line.
  private var gap = ""
  /// The tokens read and not yet taken.
  private var tokens: [Token] = []
  /// The first error in what was read.
  private(set) var firstError: ProgramError?
  /// The backslash of a line join, when the last character read was the line break it
  /// joins to the next line.
  private(set) var joinedAt: SourcePosition?

  /// A lexer with nothing read yet.
  init() {}

  /// A lexer that has read all of `source`.
  init(_ source: String) {
    lex(source)
  }

  // MARK: - The rules

  /// The characters that are tokens of their own wherever they are not quoted or escaped.
  static let operators: [Character: Token.Kind] = [
    "{": .openBrace, "}": .closeBrace, "(": .openParen, ")": .closeParen,
    ",": .comma, ";": .semicolon,
  ]

  /// Whether `character` is one of ``operators``.
  static func isOperator(_ character: Character) -> Bool { operators[character] != nil }

  /// What a backslash escapes inside double quotes; before any other character it stays.
  static let doubleQuoteEscapes: Set<Character> = ["\"", "\\", "$"]

  static func isNameStart(_ character: Character) -> Bool {
    character == "_" || (character.isASCII && character.isLetter)
  }

  static func isNameCharacter(_ character: Character) -> Bool {
    isNameStart(character) || (character.isASCII && character.isNumber)
  }

  // MARK: - Reading

  /// The quote open at the end of what was read, and where it was opened.
  var openQuote: (quote: Quote, position: SourcePosition)? {
    if case .quoted(let quote, let opened) = context { return (quote, opened) }
    return nil
  }

  /// Numbers the next line read `number` (the REPL numbers a command's lines by the input's
  /// lines).
  mutating func setLine(_ number: Int) {
    line = number
  }

  /// Reads `text`, which goes on from what was read before.
  mutating func lex(_ text: some StringProtocol) {
    for character in text {
      joinedAt = nil
      read(character, at: SourcePosition(line: line, column: column))
      if SourceLines.isLineBreak(character) {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
  }

  /// The tokens read so far and not taken before; a word is read to its end before it is
  /// handed out.
  mutating func takeTokens() -> [Token] {
    defer { tokens = [] }
    return tokens
  }

  /// All tokens of what was read, ending with one `.end` token, or the first error in it.
  mutating func tokenize() throws(ProgramError) -> [Token] {
    finish()
    if let firstError { throw firstError }
    return takeTokens()
  }

  /// Ends the input: what is pending is an error or a token, and `.end` follows.
  private mutating func finish() {
    switch pending {
    case .none:
      break
    case .backslash(let backslash):
      if case .quoted = context {
        literal.append("\\")
      } else {
        fail("a backslash at the end of the program escapes nothing", at: backslash)
      }
    case .dollar(let dollar):
      fail(Self.notAParameter(next: nil), at: dollar)
    case .bracedName(_, let dollar):
      fail(Self.badBraces, at: dollar)
    case .name(let name, let dollar):
      addParameter(name, at: dollar)
    }
    pending = .none
    switch context {
    case .quoted(let quote, let opened):
      fail("missing closing \(quote == .single ? "'" : "\"") for this quote", at: opened)
    case .word:
      endWord()
    case .between, .comment:
      break
    }
    context = .between
    append(.end, text: "", at: SourcePosition(line: line, column: column))
  }

  // MARK: - One character

  private mutating func read(_ character: Character, at position: SourcePosition) {
    guard readPending(character, at: position) else { return }
    switch context {
    case .comment:
      if SourceLines.isLineBreak(character) {
        context = .between
        read(character, at: position)
      }
    case .between:
      if SourceLines.isLineBreak(character) {
        append(.newline, text: String(character), at: position)
        spaceBefore = true
      } else if character.isWhitespace {
        gap.append(character)
        spaceBefore = true
      } else if character == "#" {
        context = .comment
        gap = ""
        spaceBefore = true
      } else if let kind = Self.operators[character] {
        append(kind, text: String(character), at: position)
      } else if character == "\\" {
        pending = .backslash(position)  // a word, or a line join
      } else {
        startWord(at: position)
        readInWord(character, at: position)
      }
    case .word:
      if character.isWhitespace || Self.isOperator(character) {
        endWord()
        read(character, at: position)
      } else {
        readInWord(character, at: position)
      }
    case .quoted(.single, _):
      wordText.append(character)
      if character == "'" {
        context = .word
      } else {
        takeLiteral(character, at: position)
      }
    case .quoted(.double, _):
      switch character {
      case "\"":
        wordText.append(character)
        context = .word
      case "$":
        wordText.append(character)
        pending = .dollar(position)
      case "\\":
        pending = .backslash(position)
      default:
        wordText.append(character)
        takeLiteral(character, at: position)
      }
    }
  }

  /// A character of a word outside quotes.
  private mutating func readInWord(_ character: Character, at position: SourcePosition) {
    switch character {
    case "\\":
      pending = .backslash(position)
      return
    case "'":
      context = .quoted(.single, opened: position)
    case "\"":
      context = .quoted(.double, opened: position)
    case "$":
      pending = .dollar(position)
    default:
      takeLiteral(character, at: position)
    }
    wordText.append(character)
  }

  /// Reads `character` as the end or the next part of what is pending; whether it is still
  /// to be read in the current context.
  private mutating func readPending(_ character: Character, at position: SourcePosition) -> Bool {
    switch pending {
    case .none:
      return true
    case .backslash(let backslash):
      pending = .none
      if SourceLines.isLineBreak(character) {
        joinedAt = backslash
        if context == .between {
          spaceBefore = true
          if gap.isEmpty { gap = " " }
        }
        return false
      }
      if context == .between { startWord(at: backslash) }
      if case .quoted = context, !Self.doubleQuoteEscapes.contains(character) {
        wordText.append("\\")
        takeLiteral("\\", at: backslash)
        return true
      }
      wordText += "\\" + String(character)
      takeLiteral(character, at: position)
      return false
    case .dollar(let dollar):
      pending = .none
      if character == "{" {
        pending = .bracedName("", dollar: dollar)
      } else if Self.isNameStart(character) {
        pending = .name(String(character), dollar: dollar)
      } else {
        fail(Self.notAParameter(next: character), at: dollar)
        literal.append("$")
        return true
      }
      wordText.append(character)
      return false
    case .bracedName(var name, let dollar):
      if Self.isNameCharacter(character) {
        name.append(character)
        wordText.append(character)
        pending = .bracedName(name, dollar: dollar)
        return false
      }
      pending = .none
      guard character == "}", let first = name.first, Self.isNameStart(first) else {
        // Read on as the REPL's continuation always has: `${name` and a `}` after it.
        fail(Self.badBraces, at: dollar)
        literal += "${" + name
        guard character == "}" else { return true }
        literal.append("}")
        wordText.append(character)
        return false
      }
      wordText.append(character)
      addParameter(name, at: dollar)
      return false
    case .name(var name, let dollar):
      if Self.isNameCharacter(character) {
        name.append(character)
        wordText.append(character)
        pending = .name(name, dollar: dollar)
        return false
      }
      pending = .none
      addParameter(name, at: dollar)
      return true
    }
  }

  // MARK: - Words and tokens

  private mutating func startWord(at position: SourcePosition) {
    context = .word
    word = Word([], position: position)
    wordText = ""
  }

  private mutating func endWord() {
    word.append(.literal(literal))
    literal = ""
    context = .between
    let token = Token(
      kind: .word(word), position: word.position, spaceBefore: spaceBefore, text: wordText,
      gap: gap)
    tokens.append(token)
    spaceBefore = false
    gap = ""
    wordText = ""
  }

  private mutating func append(_ kind: Token.Kind, text: String, at position: SourcePosition) {
    tokens.append(
      Token(kind: kind, position: position, spaceBefore: spaceBefore, text: text, gap: gap))
    spaceBefore = false
    gap = ""
  }

  private mutating func addParameter(_ name: String, at dollar: SourcePosition) {
    word.append(.literal(literal))
    literal = ""
    word.append(.parameter(name, position: dollar))
  }

  private mutating func takeLiteral(_ character: Character, at position: SourcePosition) {
    check(character, at: position)
    literal.append(character)
  }

  // MARK: - Errors

  private static let badBraces = "'${' must be followed by a parameter name and '}', like ${sleep}"

  private static func notAParameter(next: Character?) -> String {
    let what = next == "$" ? "'$$' is not a parameter" : "'$' must start a parameter name"
    return "\(what) - write $name (like $sleep); for a literal $ write \\$ or use single quotes"
  }

  private mutating func fail(_ message: String, at position: SourcePosition) {
    if firstError == nil { firstError = ProgramError(message, at: position) }
  }

  private mutating func check(_ character: Character, at position: SourcePosition) {
    guard character != "\t", !SourceLines.isLineBreak(character) else { return }
    for scalar in character.unicodeScalars where scalar.properties.generalCategory == .control {
      let code = String(scalar.value, radix: 16, uppercase: true)
      let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
      fail("unexpected control character U+\(padded)", at: position)
      return
    }
  }
}
