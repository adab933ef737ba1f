/// A lesson command as typed, its arguments not yet checked against the lessons.
public enum LessonCommand: Sendable, Equatable {
  /// `lessons`
  case list
  /// `lesson NAME|NUMBER|FILE.md` (a bare `lesson` is the session's: it reopens the last one)
  case open(String)
  /// `next`
  case next
  /// `back`
  case back
  /// `step N`
  case step(String)
  /// `restart` (the session asks first, or takes `--force`)
  case restart
  /// `where`
  case whereAmI
  /// `show [swift|python]`
  case show(String?)
  /// `hint`
  case hint

  /// The command word, as typed at the prompt.
  public var name: String {
    switch self {
    case .list: "lessons"
    case .open: "lesson"
    case .next: "next"
    case .back: "back"
    case .step: "step"
    case .restart: "restart"
    case .whereAmI: "where"
    case .show: "show"
    case .hint: "hint"
    }
  }

  /// The command for `name` and the rest of its line; `nil` when `name` is no lesson
  /// command, or a usage error when the arguments do not fit.
  static func parse(_ name: String, _ rest: String) -> Result<LessonCommand, UsageError>? {
    func bare(_ command: LessonCommand) -> Result<LessonCommand, UsageError> {
      rest.isEmpty ? .success(command) : .failure(UsageError("'\(name)' takes no arguments"))
    }
    func one(_ usage: String, _ make: (String) -> LessonCommand) -> Result<
      LessonCommand, UsageError
    > {
      let words = rest.split(whereSeparator: \.isWhitespace)
      guard words.count == 1, let word = words.first else {
        return .failure(UsageError("usage: \(usage)"))
      }
      return .success(make(String(word)))
    }
    switch name {
    case "lessons": return bare(.list)
    case "lesson": return one("lesson [NAME|NUMBER|FILE.md]", LessonCommand.open)
    case "next": return bare(.next)
    case "back": return bare(.back)
    case "step": return one("step N", LessonCommand.step)
    case "restart": return bare(.restart)
    case "where": return bare(.whereAmI)
    case "show":
      guard !rest.isEmpty else { return .success(.show(nil)) }
      guard rest == "swift" || rest == "python" else {
        return .failure(UsageError("usage: show [swift | python | source SCOPE]"))
      }
      return .success(.show(rest))
    case "hint": return bare(.hint)
    default: return nil
    }
  }
}

/// Arguments that do not fit a command: one line saying so.
struct UsageError: Error, Equatable {
  let message: String

  init(_ message: String) {
    self.message = message
  }
}
