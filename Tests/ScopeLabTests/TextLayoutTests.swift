import Testing

@testable import ScopeLab

/// Prose fitted to a screen (``TextLayout``) and lesson Markdown as the terminal shows it
/// (``ProseMarkdown``).
@Suite("Text fitted to the screen, and lesson Markdown")
struct TextLayoutTests {
  static let paragraph =
    "A scope is a pair of actions wrapped around a block of code: one that runs before the "
    + "block starts, and one that runs after it ends, however it ends. The smallest scope "
    + "worth having is a flag; withTaskCancellationHandler(operation:onCancel:) is a long "
    + "name, and so is https://github.com/apple/swift-evolution/blob/main/proposals/x.md."

  /// The words of `text`, in order, escape sequences removed.
  static func words(_ text: String) -> [String] {
    TextLayout.withoutEscapes(text).split(whereSeparator: \.isWhitespace).map(String.init)
  }

  @Test(
    "a paragraph fits 60, 80 and 100 columns, every word whole and in order",
    arguments: [60, 80, 100])
  func fitsWidths(_ width: Int) {
    let fitted = TextLayout.fit(Self.paragraph, width: width)
    let lines = fitted.split(separator: "\n").map(String.init)
    #expect(lines.count > 1)
    #expect(Self.words(fitted) == Self.words(Self.paragraph))
    for line in lines where line.displayWidth > width {
      // Only a word longer than the width may stick out, alone on its line.
      #expect(Self.words(line).count == 1, "\(line.debugDescription) is \(line.displayWidth) wide")
    }
    // Greedy: a line is broken only where the next word did not fit.
    for (line, next) in zip(lines, lines.dropFirst()) {
      let first = Self.words(next)[0]
      #expect(line.displayWidth + 1 + first.displayWidth > width, "\(line) | \(first)")
    }
  }

  @Test("a word longer than the line is kept whole, never cut")
  func longWord() {
    let url = "https://example.com/" + String(repeating: "a", count: 70)
    let lines = TextLayout.wrap("see \(url) for more", width: 60)
    #expect(lines == ["see", url, "for more"])
  }

  @Test("wide characters count two columns; ideographs may break, emoji stay in their word")
  func wideCharacters() {
    let text = String(repeating: "日本語の文章です。", count: 12)
    let lines = TextLayout.wrap(text, width: 60)
    #expect(lines.count > 1)
    #expect(lines.allSatisfy { $0.displayWidth <= 60 }, "\(lines)")
    #expect(lines.joined() == text)
    let emoji = Array(repeating: "ok👍", count: 30).joined(separator: " ")
    let wrapped = TextLayout.wrap(emoji, width: 20)
    #expect(wrapped.allSatisfy { $0.displayWidth <= 20 }, "\(wrapped)")
    #expect(wrapped.first == "ok👍 ok👍 ok👍 ok👍")
  }

  @Test("a list item hangs under its text; a table row under its second column")
  func hangingIndents() {
    let item = "- " + String(repeating: "word ", count: 30)
    let lines = TextLayout.wrap(item, width: 40)
    #expect(lines[0].hasPrefix("- word"))
    #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  word") }, "\(lines)")
    let numbered = TextLayout.wrap("  12. " + String(repeating: "word ", count: 30), width: 40)
    #expect(numbered.dropFirst().allSatisfy { $0.hasPrefix("      word") }, "\(numbered)")
    let row = "  why       explain how the last run ended, and the rule that decided it"
    let table = TextLayout.wrap(row, width: 50)
    #expect(table[0].hasPrefix("  why       explain"), "the gap is kept: \(table)")
    #expect(table.dropFirst().allSatisfy { $0.hasPrefix(String(repeating: " ", count: 12)) })
    #expect(table.allSatisfy { $0.count <= 50 })
  }

  @Test("code, programs and a parse error's source line are not wrapped")
  func codeKept() {
    let code = "    " + String(repeating: "sleep 1; ", count: 20)
    let source = String(repeating: "x ", count: 50)
    let caret = "          ^"
    let text = "prose\n\(code)\n\(source)\n\(caret)\nexample: \(source)"
    let fitted = TextLayout.fit(text, width: 40, verbatim: ["example: "])
    #expect(fitted == text)
  }

  @Test(
    "at a terminal, a too long line of code breaks at spaces, hung four columns deeper; a caret's line does not"
  )
  func codeAtATerminal() {
    let code = "      try await withDeadline(clock.now + .seconds(1), clock: clock) {"
    let caretSource =
      "x " + String(repeating: "y", count: 50) + " " + String(repeating: "z", count: 20)
    let text = "prose\n\(code)\n\(caretSource)\n          ^\n\tfoo(bar, baz) " + caretSource
    let fitted = TextLayout.fit(text, width: 40, codeWidth: 40)
    let lines = fitted.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(
      lines == [
        "prose",
        "      try await withDeadline(clock.now +",
        "          .seconds(1), clock: clock) {",
        caretSource, "          ^", "\tfoo(bar, baz) " + caretSource,
      ], "\(lines)")
    // A token longer than the line stays whole, on its own line.
    let long = "    f(" + String(repeating: "a", count: 50) + ") + 1"
    #expect(
      TextLayout.wrapCode(long, width: 30) == [
        "    f(" + String(repeating: "a", count: 50) + ")", "        + 1",
      ])
    // A line that fits, and any line without codeWidth, stays as it is.
    #expect(TextLayout.wrapCode("    short", width: 30) == ["    short"])
    #expect(TextLayout.fit(text, width: 40) == TextLayout.fit(text, width: 40, codeWidth: nil))
    #expect(TextLayout.fit(text, width: 40).contains(code))
  }

  @Test("colours take no columns; a style open at a break is closed and opened again")
  func styles() {
    let palette = Palette(enabled: true)
    let text = "plain " + palette.bold(String(repeating: "bold ", count: 20)) + " end"
    let lines = TextLayout.wrap(text, width: 30)
    #expect(lines.count > 2)
    #expect(lines.allSatisfy { TextLayout.visibleWidth($0) <= 30 }, "\(lines)")
    #expect(lines[0].hasSuffix("\u{1B}[0m"))
    #expect(lines[1].hasPrefix("\u{1B}[1m"))
    #expect(Self.words(lines.joined(separator: "\n")) == Self.words(text))
  }

  @Test("help text written wrapped becomes paragraphs; a table in it stays")
  func unwrapped() {
    let text =
      "First line of a\nparagraph goes on.\n  table  row one\n  table  row two\n- an item\nafter"
    #expect(
      TextLayout.unwrapped(text)
        == "First line of a paragraph goes on.\n  table  row one\n  table  row two\n- an item after"
    )
  }

  // MARK: - Markdown

  @Test("a paragraph becomes one line; blank lines separate paragraphs, doubled ones once")
  func paragraphs() {
    let lines = ["One two", "three four.", "", "", "Five six."]
    #expect(ProseMarkdown.render(lines, palette: .plain) == "One two three four.\n\nFive six.\n")
  }

  @Test(
    "without colour: emphasis markers dropped, code keeps its backticks, links show the url; _ is no emphasis (Python's __aexit__)"
  )
  func plainInline() {
    let text =
      "A *flag* is **up** while `runner { }` runs; see [the rules](rules.md) and snake_case_name, 2 * 3, except* and __init__, __aexit__ and _x_."
    #expect(
      ProseMarkdown.inline(text, palette: .plain)
        == "A flag is up while `runner { }` runs; see the rules (rules.md) and snake_case_name, 2 * 3, except* and __init__, __aexit__ and _x_."
    )
    #expect(
      ProseMarkdown.inline("`*not emphasis*` and \\*literal\\*", palette: .plain)
        == "`*not emphasis*` and *literal*")
    #expect(
      ProseMarkdown.inline("[https://x.org](https://x.org)", palette: .plain) == "https://x.org")
  }

  @Test("with colour: strong bold, emphasis italic, code coloured, no markers")
  func colouredInline() {
    let palette = Palette(enabled: true)
    let text = ProseMarkdown.inline("a **b** *c* `d`", palette: palette)
    #expect(text == "a \u{1B}[1mb\u{1B}[0m \u{1B}[3mc\u{1B}[0m \u{1B}[36md\u{1B}[0m")
    // A span inside another: the outer style is opened again after the inner one ends.
    let nested = ProseMarkdown.inline("**bold `code` bold**", palette: palette)
    #expect(nested == "\u{1B}[1mbold \u{1B}[36mcode\u{1B}[0m\u{1B}[1m bold\u{1B}[0m")
  }

  @Test("lists, headings and fenced code: items on their own lines, code as written")
  func blocks() {
    let lines = [
      "### A heading", "Intro:", "- first item", "  goes on and on", "- second *item*", "",
      "```python check", "async def  main():   # *not* markdown", "    await x", "```",
      "",
      "1. numbered",
    ]
    let rendered = ProseMarkdown.render(lines, palette: .plain)
    #expect(
      rendered == """
        A heading
        Intro:
        - first item goes on and on
        - second item

            async def  main():   # *not* markdown
                await x

        1. numbered

        """)
    // Code lines are indented by four spaces: the screen leaves them as they are.
    let fitted = TextLayout.fit(rendered, width: 20)
    #expect(fitted.contains("    async def  main():   # *not* markdown"))
    #expect(fitted.contains("- first item goes on\n  and on"))
  }

  @Test(
    "a line of 100 000 unmatched marks renders and fits in linear time", .timeLimit(.minutes(1)))
  func unmatchedMarks() {
    // Quadratic rendering takes minutes here; linear, a few seconds in a debug build.
    let line =
      String(repeating: "*", count: 100_000) + " " + String(repeating: "[", count: 50_000)
      + " " + String(repeating: "`x", count: 50_000)
    let rendered = ProseMarkdown.render([line], palette: .plain)
    #expect(rendered.hasPrefix(String(repeating: "*", count: 100)))
    let fitted = TextLayout.fit(rendered, width: 60)
    #expect(fitted.split(separator: "\n").count >= 3)
  }
}
