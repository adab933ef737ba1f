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
}
