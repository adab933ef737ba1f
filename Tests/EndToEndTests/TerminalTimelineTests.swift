import TestSupport
import Testing

/// The timeline after a run in the REPL is as wide as the terminal (at least 60 columns),
/// read again at every run, so resizing the window takes effect at the next one.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct TerminalTimelineTests {
  static let prompt = "scopelab> "

  /// The timeline's lines in `text`: from the `timeline` axis to the legend.
  private func timelineLines(in text: String) -> [String] {
    let lines = text.replacingCarriageReturns().split(separator: "\n").map(String.init)
    guard let start = lines.lastIndex(where: { $0.hasPrefix("timeline ") }) else { return [] }
    return Array(lines[start...].prefix { !$0.hasPrefix(Self.prompt) })
  }

  @Test(arguments: [(UInt16(120), 120), (200, 200), (40, 60)])
  func theTimelineUsesTheTerminalsWidth(columns: UInt16, expected: Int) throws {
    let terminal = try Scopelab().startInTerminal()
    try terminal.expect(Self.prompt)
    terminal.resize(columns: columns)
    terminal.send("run timeout 0.05 { scope a-rather-long-scope-name { sleep 1 } }\r")
    try terminal.expect("=> TimeoutError")
    let seen = try terminal.expect(Self.prompt)
    let lines = timelineLines(in: seen)
    try #require(lines.count >= 3, "\(seen.debugDescription)")
    let widest = lines.map(\.count).max() ?? 0
    #expect(widest <= expected, "\(lines)")
    #expect(widest > expected - 12, "the picture fills the width: \(lines)")
    terminal.send("quit\r")
    #expect(terminal.waitForExit() == 0)
  }
}

extension String {
  /// The text with `\r\n` and lone `\r` turned into `\n`, as a terminal shows lines.
  fileprivate func replacingCarriageReturns() -> String {
    var text = ""
    var previous: Character?
    for character in self {
      if character == "\r\n" {
        text.append("\n")
      } else if character == "\r" {
        text.append("\n")
      } else if character == "\n" && previous == "\r" {
        continue
      } else {
        text.append(character)
      }
      previous = character
    }
    return text
  }
}
