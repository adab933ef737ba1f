/// A language a program can be shown in: `show swift`, `run --emit python`
/// (``render(_:parameters:)``, in `CodeViews/`, writes it).
public enum CodeLanguage: String, Sendable, CaseIterable {
  case swift, python
}
