/// Line handling shared by the lexer and error rendering, so both agree on what a line
/// is: `\n`, `\r\n` and `\r` end a line.
enum SourceLines {
  /// Whether `character` ends a line.
  static func isLineBreak(_ character: Character) -> Bool {
    character == "\n" || character == "\r\n" || character == "\r"
  }

  /// The text of line `number` (from 1) of `source`, without its line break; empty
  /// past the end.
  static func line(_ number: Int, of source: String) -> String {
    var current = 1
    var text = ""
    for character in source {
      if isLineBreak(character) {
        if current == number { return text }
        current += 1
        continue
      }
      if current == number { text.append(character) }
    }
    return text
  }

  /// At most `width` display columns of `line` around `column` (a character count from
  /// 1), with `...` where text was cut, and the column of the same character in the shown
  /// text. Wide characters take two columns, as a terminal shows them.
  static func window(
    of line: String, around column: Int, width: Int = 100
  ) -> (text: String, column: Int) {
    let characters = Array(line)
    let column = min(max(column, 1), characters.count + 1)
    // A tab is one column here: where it ends depends on the terminal's tab stops.
    let widths = characters.map { $0 == "\t" ? 1 : $0.displayWidth }
    guard widths.reduce(0, +) > width else { return (line, column) }
    // Half the width before the column, the rest after it; more before at the end.
    var start = column - 1
    var used = 0
    while start > 0 && used + widths[start - 1] <= width / 2 {
      start -= 1
      used += widths[start]
    }
    var end = column - 1
    while end < characters.count && used + widths[end] <= width {
      used += widths[end]
      end += 1
    }
    while start > 0 && used + widths[start - 1] <= width {
      start -= 1
      used += widths[start]
    }
    let head = start > 0 ? "..." : ""
    let tail = end < characters.count ? "..." : ""
    let text = head + String(characters[start..<end]) + tail
    return (text, column - start + head.count)
  }
}
