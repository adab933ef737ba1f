/// Text fitted to a screen's width: each line longer than the width is wrapped at spaces
/// (never inside a word), its continuation lines hung under where its text begins.
///
/// What is not prose is left as it is: a line that starts with four spaces or a tab (a
/// program, a code block, generated code - cutting or re-wrapping it would change what it
/// says), and a line with a caret under it (a parse error's source line). Such a line may
/// be longer than the width; the terminal or the pager folds it - but at a terminal the
/// session gives a `codeWidth`, and a line of code longer than that breaks at a space
/// (``wrapCode(_:width:)``).
///
/// The continuation indent of a wrapped line is its own indent, plus the marker of a list
/// item (`- `, `* `, `1. `), or the column of its second column when it is a table row (a
/// gap of two or more spaces, a third of the width left after it: `  why    explain ...`).
/// ANSI colour sequences take no columns; a style open at a break is closed at the end of
/// the line and opened again after the indent.
public enum TextLayout {
  /// The narrowest width text is fitted to: a narrower terminal gets lines this long.
  public static let minimumWidth = 20
  /// The width prose is fitted to in a replay and its check, and while a transcript is
  /// recorded: a transcript's text does not depend on the terminal it was made at.
  public static let transcriptWidth = 80

  /// `text` with every line indented by four spaces, as the REPL shows a program: code,
  /// which `fit` leaves as it is.
  static func indented(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
      .joined(separator: "\n")
  }

  /// `text` with every prose line fitted to `width` columns; a line that starts with one
  /// of `verbatim` (`example: `, followed by a program) is left as it is, as code is.
  ///
  /// With `codeWidth` (at a terminal, which would fold a long line mid-word), a line of code
  /// wider than it is broken too, at spaces only (``wrapCode(_:width:)``); without, code
  /// stays as it is.
  public static func fit(
    _ text: String, width: Int, verbatim: [String] = [], codeWidth: Int? = nil
  ) -> String {
    let width = max(minimumWidth, width)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var result: [String] = []
    result.reserveCapacity(lines.count)
    for (index, line) in lines.enumerated() {
      let next = index + 1 < lines.count ? lines[index + 1] : nil
      let beforeCaret = next.map(isCaretLine) ?? false
      if beforeCaret || verbatim.contains(where: { line.hasPrefix($0) }) {
        result.append(String(line))
        continue
      }
      if let codeWidth, isCode(line) {
        result.append(contentsOf: wrapCode(String(line), width: codeWidth))
      } else {
        result.append(contentsOf: wrap(String(line), width: width))
      }
    }
    return result.joined(separator: "\n")
  }

  /// A line of code (indented by spaces) fitted to `width` columns: broken only at a space,
  /// never inside a token, each line after the first indented four spaces deeper than the
  /// line, so that it reads as the line's continuation. A line indented by a tab, or with
  /// no space to break at, stays as it is.
  public static func wrapCode(_ line: String, width: Int) -> [String] {
    let width = max(minimumWidth, width)
    guard visibleWidth(line) > width, !line.hasPrefix("\t") else { return [line] }
    let indent = line.prefix { $0 == " " }.count
    return wrapped(line, width: width, hanging: String(repeating: " ", count: indent + 4))
  }

  /// Text written wrapped at some width (a help text in the source) as paragraphs, each
  /// on one line for ``fit(_:width:verbatim:)``: a line that starts with text goes on the
  /// line before when that one does too. Blank lines, indented lines (a table, code) and
  /// list items stay as they are.
  public static func unwrapped(_ text: String) -> String {
    var lines: [String] = []
    var joinable = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let startsWithText = line.first.map { $0 != " " && $0 != "\t" } ?? false
      let isItem = listMarker(line) != nil
      if startsWithText && !isItem && joinable, let last = lines.indices.last {
        lines[last] += " " + line
      } else {
        lines.append(String(line))
      }
      joinable = startsWithText
    }
    return lines.joined(separator: "\n")
  }

  /// One line fitted to `width` columns; `continuation` is the indent of the lines after
  /// the first (by default found from the line, see ``TextLayout``).
  public static func wrap(_ line: String, width: Int, continuation: String? = nil) -> [String] {
    let width = max(minimumWidth, width)
    guard visibleWidth(line) > width, !isCode(line) else { return [line] }
    let hanging = continuation ?? String(repeating: " ", count: hangingColumn(line, width: width))
    return wrapped(line, width: width, hanging: hanging)
  }

  /// `line` broken between its words to lines of at most `width` columns (a word wider
  /// than that on a line of its own), the lines after the first starting with `hanging`.
  private static func wrapped(_ line: String, width: Int, hanging: String) -> [String] {
    let indent = String(line.prefix { $0 == " " })
    let pieces = self.pieces(of: String(line.dropFirst(indent.count)))
    var lines: [String] = []
    var current = indent
    var used = indent.count
    var lineHasText = false
    var style = StyleTracker()
    for piece in pieces {
      let pieceWidth = visibleWidth(piece.text)
      let gap = lineHasText ? piece.spaces : 0
      if lineHasText && used + gap + pieceWidth > width {
        lines.append(style.closing(current))
        current = hanging + style.reopening
        used = hanging.count
        lineHasText = false
      } else if gap > 0 {
        current += String(repeating: " ", count: gap)
        used += gap
      }
      current += piece.text
      used += pieceWidth
      lineHasText = true
      style.read(piece.text)
    }
    lines.append(current)
    return lines
  }

  /// The columns `text` takes on screen, its ANSI escape sequences taking none.
  public static func visibleWidth(_ text: String) -> Int {
    guard text.contains("\u{1B}") else { return text.displayWidth }
    return withoutEscapes(text).displayWidth
  }

  /// `text` without its ANSI escape sequences (`ESC [ ... letter`).
  static func withoutEscapes(_ text: String) -> String {
    var result = ""
    var inEscape = false
    var afterEscape = false
    for scalar in text.unicodeScalars {
      if afterEscape {
        afterEscape = false
        inEscape = scalar == "["
        continue
      }
      if inEscape {
        if (0x40...0x7E).contains(scalar.value) { inEscape = false }
        continue
      }
      if scalar == "\u{1B}" {
        afterEscape = true
        continue
      }
      result.unicodeScalars.append(scalar)
    }
    return result
  }

  /// A line that is code: it starts with four spaces or a tab.
  static func isCode<S: StringProtocol>(_ line: S) -> Bool {
    line.hasPrefix("    ") || line.hasPrefix("\t")
  }

  /// A line of spaces and one `^` (with `~`s): the caret under a parse error's source line.
  private static func isCaretLine(_ line: Substring) -> Bool {
    let text = withoutEscapes(String(line))
    return text.contains("^") && text.allSatisfy { $0 == " " || $0 == "^" || $0 == "~" }
  }

  /// The column the lines after the first of a wrapped `line` start at.
  static func hangingColumn(_ line: String, width: Int) -> Int {
    let plain = withoutEscapes(line)
    let indent = plain.prefix { $0 == " " }.count
    let rest = plain.dropFirst(indent)
    // A list item: `- `, `* `, `+ `, `1. `, `2) `.
    if let marker = listMarker(rest) { return indent + marker }
    // A table row: text, a gap of two or more spaces, text - hung under the second column
    // when that leaves room to read (a third of the width, at least 16 columns).
    var column = indent
    var spaces = 0
    for character in rest {
      if character == " " {
        spaces += 1
      } else {
        if spaces >= 2 && column > indent + spaces {
          return width - column >= max(16, width / 3) ? column : indent
        }
        spaces = 0
      }
      column += character.displayWidth
    }
    return indent
  }

  /// The columns of the list marker `text` starts with, with its space; `nil` if none.
  static func listMarker<S: StringProtocol>(_ text: S) -> Int? {
    if let first = text.first, "-*+•".contains(first), text.dropFirst().first == " " {
      return 2
    }
    let digits = text.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, digits.count <= 3 else { return nil }
    let after = text.dropFirst(digits.count)
    guard let dot = after.first, dot == "." || dot == ")", after.dropFirst().first == " " else {
      return nil
    }
    return digits.count + 2
  }

  /// A piece of a line that is never broken, and the spaces before it (kept when it stays
  /// on the same line: a table's gap between its columns).
  struct Piece {
    var text: String
    var spaces: Int
  }

  /// The line's words - and each wide (CJK) character of a word on its own, as a line may
  /// break between two of them.
  static func pieces(of text: String) -> [Piece] {
    var pieces: [Piece] = []
    var spacesBefore = 0
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
      guard !word.isEmpty else {
        spacesBefore += 1
        continue
      }
      var spaces = pieces.isEmpty ? 0 : spacesBefore + 1
      spacesBefore = 0
      var current = ""
      var escape = false
      for character in word {
        if character == "\u{1B}" { escape = true }
        if escape {
          current.append(character)
          if let scalar = character.unicodeScalars.first, character != "\u{1B}",
            character != "[", (0x40...0x7E).contains(scalar.value)
          {
            escape = false
          }
          continue
        }
        if isBreakableWide(character) {
          if !withoutEscapes(current).isEmpty {
            pieces.append(Piece(text: current, spaces: spaces))
            spaces = 0
            current = ""
          }
          current.append(character)
          pieces.append(Piece(text: current, spaces: spaces))
          spaces = 0
          current = ""
          continue
        }
        current.append(character)
      }
      if !current.isEmpty {
        if withoutEscapes(current).isEmpty, let last = pieces.indices.last, spaces == 0 {
          // Only escapes after a wide character: they close its style.
          pieces[last].text += current
        } else {
          pieces.append(Piece(text: current, spaces: spaces))
        }
      }
    }
    return pieces
  }

  /// A wide character a line may break before or after: an ideograph, kana or hangul
  /// (not an emoji, which sits in a word like a letter).
  private static func isBreakableWide(_ character: Character) -> Bool {
    guard character.displayWidth == 2, let first = character.unicodeScalars.first else {
      return false
    }
    return !first.properties.isEmojiPresentation && !first.properties.isEmoji
  }

  /// The SGR styles open at a point of a line.
  struct StyleTracker {
    private var open: [String] = []

    /// Follows the escape sequences in `text`.
    mutating func read(_ text: String) {
      guard text.contains("\u{1B}") else { return }
      var index = text.startIndex
      while let escape = text[index...].firstIndex(of: "\u{1B}") {
        guard let end = text[escape...].firstIndex(where: { $0 == "m" }) else { return }
        let sequence = String(text[escape...end])
        if sequence == "\u{1B}[0m" || sequence == "\u{1B}[m" {
          open.removeAll()
        } else {
          open.append(sequence)
        }
        index = text.index(after: end)
      }
    }

    /// `line` with its open styles closed at its end.
    func closing(_ line: String) -> String {
      open.isEmpty ? line : line + "\u{1B}[0m"
    }

    /// The sequences that open the styles again.
    var reopening: String { open.joined() }
  }
}
