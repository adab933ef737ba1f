/// What ``RunAudit`` found: the facts that held, or what is wrong.
public struct AuditReport: Sendable, Equatable {
  /// What held, each a few words: `3 exits ran once each`, `running=false again`.
  public let checks: [String]
  /// What is wrong, each naming its rule: `timeout#1 never exited (W2)`. Empty when clean.
  public let problems: [String]

  public init(checks: [String], problems: [String]) {
    self.checks = checks
    self.problems = problems
  }

  /// Whether every exit ran once, every flag is false again and no child process is left.
  public var isClean: Bool { problems.isEmpty }

  /// The one line the REPL prints after a run:
  /// `audit: ok - 3 exits ran once each, running=false again, no child process left`, or
  /// `audit: WRONG - timeout#1 never exited (W2); pid 412 was never reaped (PR2)`.
  public var line: String {
    guard isClean else { return "audit: WRONG - " + problems.joined(separator: "; ") }
    return "audit: ok - " + (checks.isEmpty ? "no scopes" : checks.joined(separator: ", "))
  }

  /// ``line`` in the palette's colours: plain when clean, bold in the error colour when not.
  func rendered(palette: Palette) -> String {
    isClean ? line : palette.error(palette.bold(line))
  }

  /// ``rendered(palette:)`` fitted to `width` columns as a run's trace is at a terminal,
  /// its lines after the first under its text; one line when `width` is `nil` (a pipe, a
  /// replay, a recording).
  func rendered(palette: Palette, width: Int?) -> String {
    let text = rendered(palette: palette)
    guard let width else { return text }
    return TextLayout.wrap(text, width: width, continuation: "       ").joined(separator: "\n")
  }
}
