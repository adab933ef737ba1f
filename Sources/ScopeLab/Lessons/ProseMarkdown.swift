import AsyncScope

/// A lesson's prose, written in Markdown, as the terminal shows it.
///
/// Each paragraph becomes one line (``TextLayout`` then fits it to the screen), each list
/// item one line starting with its marker (hung under its text when wrapped), a heading
/// its text. A fenced block and an indented code block are shown as written, indented by
/// four spaces, which keeps them out of the wrapping. Inline: `**strong**` and `*emphasis*`,
/// `` `code` ``, `[text](url)` as `text (url)`, and backslash escapes. Underscores are
/// not emphasis: these lessons name Python's `__aexit__` and snake_case words, in
/// backticks or not.
///
/// With colour, strong is bold, emphasis italic, a heading bold and code coloured, their
/// markers dropped. Without colour the emphasis markers are dropped and code keeps its
/// backticks, so that `predict KeyError` still reads as something to type.
enum ProseMarkdown {
  /// The lines of prose `lines` shown with `palette`, each ending in a line break.
  static func render(_ lines: [String], palette: Palette) -> String {
    var output: [String] = []
    var paragraph: [String] = []
    var paragraphIndent = ""
    var fence: TranscriptParser.Fence?
    var inList = false
    var itemIndent = 0

    func flush() {
      guard !paragraph.isEmpty else { return }
      output.append(paragraphIndent + inline(paragraph.joined(separator: " "), palette: palette))
      paragraph = []
    }
    func blank() {
      flush()
      if output.last != "" && !output.isEmpty { output.append("") }
    }

    for raw in lines {
      let line = raw.trimmingTrailingSpaces()
      if let open = fence {
        if open.isClosed(by: line) {
          fence = nil
        } else {
          output.append(raw.isEmpty ? "" : "    " + raw)
        }
        continue
      }
      if let opening = TranscriptParser.Fence(opening: line) {
        flush()
        fence = opening
        continue
      }
      let indent = line.prefix { $0 == " " }.count
      let text = line.dropFirst(indent)
      if text.isEmpty {
        blank()
        continue
      }
      // An indented code block: after a blank line (or at the start), outside a list.
      if indent >= 4 && paragraph.isEmpty && !inList {
        flush()
        output.append(raw)
        continue
      }
      if indent <= 3, let level = headingLevel(text) {
        flush()
        inList = false
        let title = String(text.dropFirst(level)).trimmingSpaces()
        output.append(palette.bold(inline(title, palette: palette, insideStyle: true)))
        continue
      }
      if let marker = TextLayout.listMarker(text) {
        flush()
        inList = true
        paragraphIndent = String(repeating: " ", count: indent) + String(text.prefix(marker))
        itemIndent = indent + marker
        paragraph = [String(text.dropFirst(marker)).trimmingSpaces()]
        continue
      }
      if paragraph.isEmpty {
        if inList && indent >= 2 {
          // A list item's own paragraph after a blank line: under the item's text.
          paragraphIndent = String(repeating: " ", count: itemIndent)
        } else {
          inList = false
          paragraphIndent = ""
        }
      }
      // A hard line break: two spaces or a backslash at the end of the line.
      let hardBreak = raw.hasSuffix("  ") || line.hasSuffix("\\")
      paragraph.append(
        String(text.dropLast(line.hasSuffix("\\") ? 1 : 0)).trimmingSpaces())
      if hardBreak {
        let indent = paragraphIndent
        flush()
        paragraphIndent = String(repeating: " ", count: indent.count)
      }
    }
    flush()
    while output.last == "" { output.removeLast() }
    return output.map { $0 + "\n" }.joined()
  }

  /// The level of the ATX heading `text` is (`## Title`: 2), or `nil`.
  private static func headingLevel<S: StringProtocol>(_ text: S) -> Int? {
    let hashes = text.prefix { $0 == "#" }.count
    guard (1...6).contains(hashes) else { return nil }
    let after = text.dropFirst(hashes)
    return after.isEmpty || after.first == " " ? hashes : nil
  }

  // MARK: - Inline

  /// The styles of inline Markdown, as SGR parameters.
  private enum Style: String {
    case strong = "1"
    case emphasis = "3"
    case code = "36"
  }

  /// One line of Markdown text with its inline markup rendered.
  ///
  /// - Parameter insideStyle: the text sits inside a style of its caller's (a heading's
  ///   bold), which a span's end must open again.
  static func inline(_ text: String, palette: Palette, insideStyle: Bool = false) -> String {
    let characters = Array(text)
    var result = ""
    var open: [(style: Style, delimiter: String)] = []
    var index = 0
    let outer = insideStyle ? "\u{1B}[1m" : ""

    func sgr(_ styles: [Style]) -> String {
      styles.map { "\u{1B}[\($0.rawValue)m" }.joined()
    }
    func start(_ style: Style) {
      if palette.enabled { result += sgr([style]) }
    }
    func end() {
      if palette.enabled { result += "\u{1B}[0m" + outer + sgr(open.map(\.style)) }
    }

    while index < characters.count {
      let character = characters[index]
      // A backslash escape: the next punctuation as itself.
      if character == "\\", index + 1 < characters.count,
        characters[index + 1].isPunctuation || characters[index + 1].isSymbol
      {
        result.append(characters[index + 1])
        index += 2
        continue
      }
      // A code span: as many backticks close it as opened it; nothing inside is markup.
      if character == "`" {
        let run = countRun(characters, from: index, of: "`")
        if let close = findRun(characters, from: index + run, of: "`", length: run) {
          var code = String(characters[(index + run)..<close])
          if code.count >= 2, code.first == " ", code.last == " ",
            code.contains(where: { $0 != " " })
          {
            code = String(code.dropFirst().dropLast())
          }
          if palette.enabled {
            start(.code)
            result += code
            end()
          } else {
            let ticks = String(repeating: "`", count: run)
            result += ticks + code + ticks
          }
          index = close + run
          continue
        }
        result += String(repeating: "`", count: run)
        index += run
        continue
      }
      // A link: [text](url) as `text (url)`, or just the url when the text is it.
      if character == "[", let link = self.link(characters, from: index) {
        let label = inline(link.text, palette: palette, insideStyle: insideStyle)
        result += TextLayout.withoutEscapes(label) == link.url ? link.url : label + " (\(link.url))"
        index = link.end
        continue
      }
      if character == "*" {
        let run = countRun(characters, from: index, of: character, limit: 2)
        let delimiter = String(repeating: character, count: run)
        let before = index > 0 ? characters[index - 1] : " "
        let afterIndex = index + run
        let after = afterIndex < characters.count ? characters[afterIndex] : " "
        // Closing: the innermost open span with this delimiter, after text.
        if let top = open.last, top.delimiter == delimiter, !before.isWhitespace {
          open.removeLast()
          end()
          index += run
          continue
        }
        // Opening: before text, with a closing delimiter later on the line.
        if !after.isWhitespace, hasCloser(characters, from: afterIndex, delimiter: delimiter) {
          let style: Style = run == 2 ? .strong : .emphasis
          open.append((style, delimiter))
          start(style)
          index += run
          continue
        }
        result += delimiter
        index += run
        continue
      }
      result.append(character)
      index += 1
    }
    if palette.enabled && !open.isEmpty { result += "\u{1B}[0m" + outer }
    return result
  }

  /// The most characters a span (code, emphasis) takes: its end is looked for no further,
  /// so that a line of a thousand unmatched marks costs no more than a thousand spans.
  static let longestSpan = 400

  /// How many `mark`s follow one another from `index` (at most `limit`).
  private static func countRun(
    _ characters: [Character], from index: Int, of mark: Character, limit: Int = .max
  ) -> Int {
    var end = index
    while end < characters.count && characters[end] == mark && end - index < limit { end += 1 }
    return end - index
  }

  /// Where a run of exactly `length` `mark`s starts at or after `index`.
  private static func findRun(
    _ characters: [Character], from index: Int, of mark: Character, length: Int
  ) -> Int? {
    var position = index
    let end = min(characters.count, index + longestSpan)
    while position < end {
      if characters[position] == mark {
        let run = countRun(characters, from: position, of: mark, limit: end - position)
        let whole = position + run == characters.count || characters[position + run] != mark
        if run == length && whole { return position }
        position += run
      } else {
        position += 1
      }
    }
    return nil
  }

  /// Whether `delimiter` closes a span later on the line, after text. (A mark inside a
  /// code span counts too: looking for the spans' ends here would make a line of many
  /// cost the square of their number.)
  private static func hasCloser(_ characters: [Character], from index: Int, delimiter: String)
    -> Bool
  {
    let mark = delimiter.first ?? "*"
    var position = index
    let end = min(characters.count, index + longestSpan)
    while position < end {
      if characters[position] == mark {
        let run = countRun(characters, from: position, of: mark, limit: end - position)
        let before = characters[position - 1]
        if run >= delimiter.count, position > index, !before.isWhitespace {
          return true
        }
        position += run
        continue
      }
      position += 1
    }
    return false
  }

  /// A link `[text](url)` starting at `index`: its text, its url and where it ends.
  private static func link(_ characters: [Character], from index: Int)
    -> (text: String, url: String, end: Int)?
  {
    let limit = min(characters.count, index + longestSpan)
    guard index + 1 < limit, let close = characters[(index + 1)..<limit].firstIndex(of: "]"),
      close + 2 < limit, characters[close + 1] == "(",
      let end = characters[(close + 2)..<limit].firstIndex(of: ")")
    else { return nil }
    let url = String(characters[(close + 2)..<end])
    guard !url.isEmpty, !url.contains(" ") else { return nil }
    return (String(characters[(index + 1)..<close]), url, end + 1)
  }
}
