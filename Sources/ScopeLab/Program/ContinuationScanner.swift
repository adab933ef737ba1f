/// Reads a command line by line and tells whether it goes on: while a `{`, an option
/// list's `(` or a quote is open, or a line ends with a backslash, the next line continues
/// the same command (DESIGN.md, "Contract: REPL commands").
///
/// It follows the lexer's rules (``Lexer/operators``, ``Lexer/doubleQuoteEscapes``,
/// ``Lexer/isNameCharacter(_:)``) without building tokens: a brace inside quotes, after a
/// backslash, in `${name}` or in a `#` comment does not count, and a `}` with no open `{`
/// is left for the parser to report. A `(` counts only where it opens a scope's option
/// list (`scope A(`): in `print :(` it is text.
///
/// As it reads, it writes the command on one line for the history (``oneLine``): comments
/// dropped, and each line break outside quotes turned into `; `, or into a space where a
/// statement cannot end there (after `{`, `(`, `,` or `;`, inside an option list, and
/// before `}`, `)`, `{` or `catch`). A line break inside quotes is kept: it is text.
struct ContinuationScanner {
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
  private(set) var open: [Opener] = []
  /// The backslash that ends the last line and joins the next one to it, if there is one.
  private(set) var continuation: SourcePosition?
  /// The command so far, on one line (see the type's description); empty after
  /// ``dropOneLine()``.
  private(set) var oneLine = ""
  /// Whether ``oneLine`` is still written.
  private var writesOneLine = true

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

  private var lineCount = 0
  private var pendingBackslash: SourcePosition?
  /// The start of the word being read (enough of it to tell `scope` from other words: a
  /// word stops growing here past ``wordPrefixBytes``, so a long quoted text costs no
  /// copying), or `nil` between words.
  private var word: String?
  private var recent: [Piece] = []
  private var pendingSpace = ""
  private var pendingBreak = false
  private var last = Emitted.nothing

  private static let operators = Set(Lexer.operators.keys)
  /// How much of a word is kept: more than `scope`, the only word it is compared with.
  private static let wordPrefixBytes = 8

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
    let parts = line.split(
      omittingEmptySubsequences: false, whereSeparator: SourceLines.isLineBreak)
    for (offset, part) in parts.enumerated() {
      if lineCount > 0 { lineBreak() }
      lineCount += 1
      scanLine(Array(part), number: lineNumber + offset)
    }
  }

  // MARK: - One line

  private mutating func scanLine(_ characters: [Character], number: Int) {
    var index = 0
    while index < characters.count {
      let character = characters[index]
      let position = SourcePosition(line: number, column: index + 1)
      index += 1
      if let top = open.last, top.isQuote {
        index = quoted(character, in: top.kind, at: position, characters, index)
        continue
      }
      if pendingBackslash != nil {
        pendingBackslash = nil
        appendToWord("\\" + String(character))
        continue
      }
      if character.isWhitespace {
        endWord()
        pendingSpace.append(character)
        continue
      }
      if character == "#", word == nil {
        pendingSpace = ""
        break  // a comment, to the end of the line
      }
      if pendingBreak { resolveBreak(before: characters, at: index - 1) }
      switch character {
      case "\\":
        pendingBackslash = position
      case "$" where index < characters.count && characters[index] == "{":
        var text = "${"
        index += 1
        while index < characters.count, Lexer.isNameCharacter(characters[index]) {
          text.append(characters[index])
          index += 1
        }
        if index < characters.count, characters[index] == "}" {
          text.append("}")
          index += 1
        }
        appendToWord(text)
      case "'", "\"":
        open.append(
          Opener(kind: character == "'" ? .singleQuote : .doubleQuote, position: position))
        appendToWord(String(character))
      case _ where Self.operators.contains(character):
        symbol(character, at: position)
      default:
        appendToWord(String(character))
      }
    }
    continuation = pendingBackslash
  }

  /// One character inside quotes; returns the index to go on from.
  private mutating func quoted(
    _ character: Character, in kind: Opener.Kind, at position: SourcePosition,
    _ characters: [Character], _ index: Int
  ) -> Int {
    switch (kind, character) {
    case (.singleQuote, "'"), (.doubleQuote, "\""):
      open.removeLast()
      appendToWord(String(character))
    case (.doubleQuote, "\\"):
      guard index < characters.count else {
        pendingBackslash = position  // joins the next line, inside the quote
        return index
      }
      let next = characters[index]
      if Lexer.doubleQuoteEscapes.contains(next) {
        appendToWord("\\" + String(next))
        return index + 1
      }
      appendToWord("\\")
    default:
      appendToWord(String(character))
    }
    return index
  }

  private mutating func symbol(_ character: Character, at position: SourcePosition) {
    endWord()
    switch character {
    case "{":
      open.append(Opener(kind: .brace, position: position))
    case "}":
      if let brace = open.lastIndex(where: { $0.kind == .brace }) {
        open.removeSubrange(brace...)
      }
    case "(":
      if recent.count >= 2, recent[recent.count - 2] == .word("scope"),
        case .word = recent[recent.count - 1]
      {
        open.append(Opener(kind: .parenthesis, position: position))
      }
    case ")":
      if open.last?.kind == .parenthesis { open.removeLast() }
    default:
      break
    }
    remember(.symbol(character))
    emit(String(character), symbol: character)
  }

  // MARK: - Line breaks

  /// The break between the line read last and the next one.
  private mutating func lineBreak() {
    continuation = nil
    if let top = open.last, top.isQuote {
      if top.kind == .doubleQuote, pendingBackslash != nil {
        pendingBackslash = nil  // `\` and the line break vanish, as in the lexer
      } else {
        appendToWord("\n")
      }
      return
    }
    if pendingBackslash != nil {
      pendingBackslash = nil
      // Inside a word the word goes on; between words the two lines are one.
      if word == nil, pendingSpace.isEmpty { pendingSpace = " " }
      return
    }
    endWord()
    remember(.lineBreak)
    pendingSpace = ""
    pendingBreak = true
  }

  /// Writes what a line break outside quotes becomes, now that what follows it is known.
  private mutating func resolveBreak(before characters: [Character], at index: Int) {
    pendingBreak = false
    pendingSpace = ""
    let next = characters[index]
    let separator: String
    switch last {
    case .nothing:
      return
    case .symbol(let previous) where "{(,;".contains(previous):
      separator = " "
    default:
      if "}){;".contains(next) || open.last?.kind == .parenthesis
        || Self.startsWord("catch", characters, at: index)
      {
        separator = " "
      } else {
        separator = "; "
      }
    }
    if writesOneLine { oneLine += separator }
  }

  private static func startsWord(_ keyword: String, _ characters: [Character], at index: Int)
    -> Bool
  {
    let end = index + keyword.count
    guard end <= characters.count, String(characters[index..<end]) == keyword else {
      return false
    }
    return end == characters.count || characters[end].isWhitespace
      || operators.contains(characters[end])
  }

  // MARK: - Output

  private mutating func appendToWord(_ text: String) {
    var prefix = word ?? ""
    if prefix.utf8.count <= Self.wordPrefixBytes { prefix += text }
    word = prefix
    emit(text)
  }

  private mutating func endWord() {
    guard let word else { return }
    remember(.word(word))
    self.word = nil
  }

  private mutating func remember(_ piece: Piece) {
    recent.append(piece)
    if recent.count > 2 { recent.removeFirst() }
  }

  private mutating func emit(_ text: String, symbol: Character? = nil) {
    if writesOneLine { oneLine += pendingSpace + text }
    pendingSpace = ""
    last = symbol.map(Emitted.symbol) ?? .text
  }
}
