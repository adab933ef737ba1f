extension TranscriptDocument {
  /// The lines in `range` (line numbers from 1; all of them by default) that are not
  /// inside a fenced block, nor a fence themselves: where a heading can be.
  func linesOutsideFences(_ range: Range<Int>? = nil) -> [(number: Int, text: String)] {
    var found: [(number: Int, text: String)] = []
    var fence: TranscriptParser.Fence?
    for number in range ?? 1..<(lines.count + 1) {
      let line = self.line(number)
      if let open = fence {
        if open.isClosed(by: line) { fence = nil }
      } else if let opening = TranscriptParser.Fence(opening: line) {
        fence = opening
      } else {
        found.append((number, line))
      }
    }
    return found
  }
}
