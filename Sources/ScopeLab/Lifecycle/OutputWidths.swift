import LineEditor

/// How wide the timeline is drawn: the width of the terminal it goes to (at least 60
/// columns), or 80 when it does not go to a terminal.
public enum TimelineWidth {
  /// For a picture written to descriptor `fd` (1 standard output, 2 standard error).
  public static func of(_ fd: Int32) -> Int {
    guard Terminal.isTerminal(fd) else { return 80 }
    return max(60, Terminal.columns(of: fd) ?? 80)
  }
}

/// How wide prose is fitted (``TextLayout``): the terminal's width, asked each time (it
/// may have been resized); in a pipe `COLUMNS` when it is set to a number, else 80.
public enum TextWidth {
  /// For text written to descriptor `fd`.
  public static func of(_ fd: Int32) -> Int {
    onTerminal(fd) ?? pipeWidth
  }

  /// The width of the terminal `fd` is, or `nil` when it is none.
  public static func onTerminal(_ fd: Int32) -> Int? {
    guard Terminal.isTerminal(fd) else { return nil }
    return max(TextLayout.minimumWidth, Terminal.columns(of: fd) ?? 80)
  }

  /// `COLUMNS`, when it is a sensible number, else 80.
  static let pipeWidth: Int = {
    guard let text = ProcessEnvironment.current()["COLUMNS"], let columns = Int(text),
      (TextLayout.minimumWidth...1000).contains(columns)
    else { return 80 }
    return columns
  }()
}
