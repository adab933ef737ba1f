/// Why the history could not be saved: one line to show the user, never a failure.
public struct HistoryWarning: Error, Sendable, Equatable, CustomStringConvertible {
  /// The history file concerned.
  public var path: String

  /// What went wrong, e.g. "cannot create the directory: Permission denied".
  public var problem: String

  /// Creates a warning about `path`.
  public init(path: String, problem: String) {
    self.path = path
    self.problem = problem
  }

  /// One line: "scopelab: history not saved to PATH: PROBLEM".
  public var description: String {
    "scopelab: history not saved to \(path): \(problem)"
  }
}
