import AsyncScope

/// What a bare `run` runs: a scope program, or real code - the open step's starter, or the
/// learner's own copy saved by `edit python` or `edit swift`.
public enum CurrentProgram: Sendable, Equatable {
  /// A program in scopelab's language, as written.
  case scope(String)
  /// The open step's ```` ```python starter ```` (or `swift`), as the lesson wrote it.
  case starter(StepCode)
  /// The learner's copy of real code: a file in scopelab's data folder.
  case file(path: String, language: CodeLanguage)

  /// The language of real code; `nil` for a scope program.
  public var language: CodeLanguage? {
    switch self {
    case .scope: nil
    case .starter(let code): code.language
    case .file(_, let language): language
    }
  }

  /// Whether it is real code, not a scope program.
  public var isRealCode: Bool { language != nil }
}
