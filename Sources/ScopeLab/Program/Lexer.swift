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
struct Lexer {
  private let characters: [Character]
  private var index = 0
  private var line = 1
  private var column = 1
  /// Literal text of the word being read, not yet added to it (appending a character at a
  /// time to the word's last part would copy it each time).
  private var pending = ""

  init(_ source: String) {
    characters = Array(source)
  }

  // MARK: - The rules (``ContinuationScanner`` reads a command's lines by the same ones)

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

  private var position: SourcePosition { SourcePosition(line: line, column: column) }

  private func peek(_ offset: Int = 0) -> Character? {
    index + offset < characters.count ? characters[index + offset] : nil
  }

  private mutating func advance() {
    guard index < characters.count else { return }
    if SourceLines.isLineBreak(characters[index]) {
      line += 1
      column = 1
    } else {
      column += 1
    }
    index += 1
  }

  /// All tokens of the program, ending with one `.end` token.
  mutating func tokenize() throws(ProgramError) -> [Token] {
    var tokens: [Token] = []
    var spaceBefore = true
    while true {
      let start = position
      guard let character = peek() else {
        tokens.append(Token(kind: .end, position: start, spaceBefore: spaceBefore))
        return tokens
      }
      if character == "\\", let next = peek(1), SourceLines.isLineBreak(next) {
        advance()
        advance()
        spaceBefore = true
      } else if SourceLines.isLineBreak(character) {
        advance()
        tokens.append(Token(kind: .newline, position: start, spaceBefore: spaceBefore))
        spaceBefore = true
      } else if character.isWhitespace {
        advance()
        spaceBefore = true
      } else if character == "#" {
        while let next = peek(), !SourceLines.isLineBreak(next) { advance() }
        spaceBefore = true
      } else if let kind = Self.operators[character] {
        advance()
        tokens.append(Token(kind: kind, position: start, spaceBefore: spaceBefore))
        spaceBefore = false
      } else {
        let word = try readWord()
        tokens.append(Token(kind: .word(word), position: start, spaceBefore: spaceBefore))
        spaceBefore = false
      }
    }
  }

  private mutating func readWord() throws(ProgramError) -> Word {
    var word = Word([], position: position)
    while let character = peek(), !character.isWhitespace, Self.operators[character] == nil {
      switch character {
      case "'":
        try readSingleQuoted()
      case "\"":
        try readDoubleQuoted(into: &word)
      case "\\":
        let backslash = position
        advance()
        guard let next = peek() else {
          throw ProgramError("a backslash at the end of the program escapes nothing", at: backslash)
        }
        if SourceLines.isLineBreak(next) {
          advance()
          continue
        }
        try takeLiteral(next)
      case "$":
        try readParameter(into: &word)
      default:
        try takeLiteral(character)
      }
    }
    flushPending(into: &word)
    return word
  }

  private mutating func flushPending(into word: inout Word) {
    word.append(.literal(pending))
    pending = ""
  }

  private mutating func takeLiteral(_ character: Character) throws(ProgramError) {
    try checkAllowed(character)
    advance()
    pending.append(character)
  }

  private func checkAllowed(_ character: Character) throws(ProgramError) {
    guard character != "\t", !SourceLines.isLineBreak(character) else { return }
    for scalar in character.unicodeScalars where scalar.properties.generalCategory == .control {
      let code = String(scalar.value, radix: 16, uppercase: true)
      let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
      throw ProgramError("unexpected control character U+\(padded)", at: position)
    }
  }

  private mutating func readSingleQuoted() throws(ProgramError) {
    let open = position
    advance()
    while true {
      guard let character = peek() else {
        throw ProgramError("missing closing ' for this quote", at: open)
      }
      if character == "'" {
        advance()
        return
      }
      try takeLiteral(character)
    }
  }

  private mutating func readDoubleQuoted(into word: inout Word) throws(ProgramError) {
    let open = position
    advance()
    while true {
      guard let character = peek() else {
        throw ProgramError("missing closing \" for this quote", at: open)
      }
      switch character {
      case "\"":
        advance()
        return
      case "$":
        try readParameter(into: &word)
      case "\\":
        let next = peek(1)
        if let next, Self.doubleQuoteEscapes.contains(next) {
          advance()
          try takeLiteral(next)
        } else if let next, SourceLines.isLineBreak(next) {
          advance()
          advance()
        } else {
          try takeLiteral(character)
        }
      default:
        try takeLiteral(character)
      }
    }
  }

  private mutating func readParameter(into word: inout Word) throws(ProgramError) {
    flushPending(into: &word)
    let dollar = position
    advance()
    var name = ""
    if peek() == "{" {
      advance()
      while let character = peek(), Self.isNameCharacter(character) {
        name.append(character)
        advance()
      }
      guard peek() == "}", let first = name.first, Self.isNameStart(first) else {
        throw ProgramError(
          "'${' must be followed by a parameter name and '}', like ${sleep}", at: dollar)
      }
      advance()
    } else if let first = peek(), Self.isNameStart(first) {
      while let character = peek(), Self.isNameCharacter(character) {
        name.append(character)
        advance()
      }
    } else {
      let what = peek() == "$" ? "'$$' is not a parameter" : "'$' must start a parameter name"
      throw ProgramError(
        "\(what) - write $name (like $sleep); for a literal $ write \\$ or use single quotes",
        at: dollar)
    }
    word.append(.parameter(name, position: dollar))
  }
}
