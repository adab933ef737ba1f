/// A token of a scope program, as the lexer hands it to the parser.
struct Token: Equatable {
  enum Kind: Equatable {
    case word(Word)
    case openBrace
    case closeBrace
    case openParen
    case closeParen
    case comma
    case semicolon
    case newline
    case end
  }

  var kind: Kind
  var position: SourcePosition
  /// Whether whitespace, a comment or the start of the input comes right before it:
  /// `a(b)` is one piece of text, `a (b)` two.
  var spaceBefore: Bool
  /// The token as written: a word with its quotes and escapes, less any backslash and line
  /// break that join two lines.
  var text: String
  /// The whitespace written between the token and the one before it on the same line
  /// (none after a line break or a comment); a line join counts as a space where no other
  /// whitespace comes before it.
  var gap: String

  /// How an error message names the token: `'sleep'`, `'{'`, `the end of the line`.
  var quoted: String {
    switch kind {
    case .word(let word):
      let text = word.description
      return "'" + (text.count > 40 ? String(text.prefix(37)) + "..." : text) + "'"
    case .openBrace: return "'{'"
    case .closeBrace: return "'}'"
    case .openParen: return "'('"
    case .closeParen: return "')'"
    case .comma: return "','"
    case .semicolon: return "';'"
    case .newline: return "the end of the line"
    case .end: return "the end of the program"
    }
  }

  /// The word, when the token is one.
  var word: Word? {
    if case .word(let word) = kind { return word }
    return nil
  }

  /// The word's text when the token is a word without parameters (a possible keyword).
  var keyword: String? { word?.literalText }
}
