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

  /// At most `width` characters of `line` around `column`, with `...` where text was
  /// cut, and the column of the same character in the shown text.
  static func window(
    of line: String, around column: Int, width: Int = 100
  ) -> (text: String, column: Int) {
    let characters = Array(line)
    let column = min(max(column, 1), characters.count + 1)
    guard characters.count > width else { return (line, column) }
    let start = max(0, min(column - 1 - width / 2, characters.count - width))
    let end = min(characters.count, start + width)
    let head = start > 0 ? "..." : ""
    let tail = end < characters.count ? "..." : ""
    let text = head + String(characters[start..<end]) + tail
    return (text, column - start + head.count)
  }
}
