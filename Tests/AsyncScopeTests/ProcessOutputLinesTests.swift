import Testing

@testable import AsyncScope

/// The line splitter behind `output` trace events: pure, so no processes here.
@Suite("ProcessOutputLines")
struct ProcessOutputLinesTests {
  /// Feeds `chunks` one by one, then ends the stream; returns every line reported.
  private func split(
    _ chunks: [String], limits: ProcessOutputLimits = ProcessOutputLimits()
  ) -> [String] {
    var lines = ProcessOutputLines(limits: limits)
    var budget = limits.maxTotalBytes
    var result: [String] = []
    for chunk in chunks { result += lines.feed(Array(chunk.utf8), budget: &budget) }
    return result + lines.finish(budget: &budget)
  }

  @Test(
    "lines are cut at newlines however the bytes arrive",
    arguments: [
      (["a\nb\n"], ["a", "b"]),
      (["a", "b\nc", "\n"], ["ab", "c"]),
      (["no newline"], ["no newline"]),
      (["crlf\r\n"], ["crlf"]),
      (["\n\n"], ["", ""]),
      ([], []),
      (["caf\u{E9}\n"], ["caf\u{E9}"]),
    ])
  func splitsLines(chunks: [String], expected: [String]) {
    #expect(split(chunks) == expected)
  }

  @Test("a multi-byte character split across chunks is kept whole")
  func splitCharacter() {
    var lines = ProcessOutputLines(limits: ProcessOutputLimits())
    var budget = 100
    let bytes = Array("\u{E9}\n".utf8)
    #expect(lines.feed(bytes.prefix(1), budget: &budget).isEmpty)
    #expect(lines.feed(bytes.dropFirst(), budget: &budget) == ["\u{E9}"])
  }

  @Test("a long line is cut once and the rest of it skipped")
  func longLine() {
    let limits = ProcessOutputLimits(maxLineBytes: 4, maxTotalBytes: 100)
    #expect(split(["abcdefgh\nxy\n"], limits: limits) == ["abcd [line truncated]", "xy"])
    #expect(split(["abcdefgh"], limits: limits) == ["abcd [line truncated]"])
  }

  @Test("once the budget is spent, one notice and nothing more")
  func budgetSpent() {
    let limits = ProcessOutputLimits(maxLineBytes: 100, maxTotalBytes: 5)
    #expect(
      split(["abc\nde\nfgh\nij\n"], limits: limits) == [
        "abc", "de", "[output truncated: more than 5 bytes]",
      ])
  }
}
