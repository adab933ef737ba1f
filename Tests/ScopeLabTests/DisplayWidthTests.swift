import Testing

@testable import ScopeLab

@Suite("Display width")
struct DisplayWidthTests {
  // MARK: - Measuring

  @Test(
    "display width of a character",
    arguments: [
      ("a", 1), ("日", 2), ("e\u{301}", 1), ("😀", 2), ("👨‍👩‍👧", 2), ("🇯🇵", 2), ("❤️", 2),
      ("❤", 1), ("Ａ", 2), ("ｱ", 1), ("한", 2), ("\u{1100}\u{1161}", 2), ("\u{200B}", 0),
      ("\u{1B}", 0), ("👍🏽", 2), ("、", 2),
    ] as [(Character, Int)])
  func characterWidth(character: Character, width: Int) {
    #expect(character.displayWidth == width, "\(character.unicodeScalars.map(\.value))")
  }

  @Test("display width of a string: the sum of its characters'")
  func stringWidth() {
    #expect("".displayWidth == 0)
    #expect("timeout#1".displayWidth == 9)
    #expect("タイムアウト".displayWidth == 12)
    #expect("a\u{301}b日本".displayWidth == 6)
    #expect("🚀launch#1".displayWidth == 10)
    #expect("👨‍👩‍👧 family".displayWidth == 9)
  }

  // MARK: - The caret under a parse error

  @Test("the caret goes under the error's column as a terminal shows it")
  func caretAfterWideCharacters() throws {
    let error = try #require(parseError("print 日本 {"))
    #expect(error.column == 10)
    // `print ` is 6 columns, `日本` 4, the space 1: the caret is in column 12.
    #expect(
      error.rendered == """
        error: unexpected '{' - 'print' takes no block
         1 | print 日本 {
           |            ^
        """)
  }

  @Test("before the caret a tab stays a tab, a combining mark takes no column")
  func caretAfterTabAndCombiningMark() throws {
    let tabbed = try #require(parseError("print\t日本 {"))
    #expect(tabbed.rendered.hasSuffix("\n   |      \t     ^"), "\(tabbed.rendered)")
    let combined = try #require(parseError("print e\u{301} {"))
    #expect(combined.column == 9)
    // `print ` 6 columns, `e\u{301}` 1, the space 1.
    let lead = String(repeating: " ", count: 8)
    #expect(combined.rendered.hasSuffix("\n   | " + lead + "^"), "\(combined.rendered)")
  }

  @Test("a long line of wide characters is cut by display width, the caret still under")
  func caretInALongWideLine() throws {
    let source = "print " + String(repeating: "日", count: 80) + "; sleeep 1"
    let error = try #require(parseError(source))
    let lines = error.rendered.split(separator: "\n").map(String.init)
    #expect(lines.count == 3)
    // The window is 100 columns, and `...` where it was cut.
    #expect(lines[1].hasPrefix(" 1 | ..."))
    #expect(lines[1].displayWidth <= " 1 | ".count + 100 + 6, "\(lines[1])")
    let caret = try #require(lines[2].displayColumn(of: "^"))
    #expect(caret == lines[1].displayColumn(of: "sleeep"))
  }
}

extension String {
  /// Where `text` first starts in this string (no Foundation for `range(of:)`).
  func firstIndex(ofText text: String) -> Index? {
    indices.first { self[$0...].hasPrefix(text) }
  }

  /// The display column where `text` first starts.
  func displayColumn(of text: String) -> Int? {
    firstIndex(ofText: text).map { String(self[..<$0]).displayWidth }
  }
}
