import LineEditor

/// How wide the timeline is drawn: the width of the terminal it goes to (at least 60
/// columns), or 80 when it does not go to a terminal.
enum TimelineWidth {
  /// For a picture written to descriptor `fd` (1 standard output, 2 standard error).
  static func of(_ fd: Int32) -> Int {
    guard Terminal.isTerminal(fd) else { return 80 }
    return max(60, Terminal.columns(of: fd) ?? 80)
  }
}
