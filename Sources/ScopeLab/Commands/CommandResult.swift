/// What one REPL command did.
public enum CommandResult: Sendable, Equatable {
  /// It worked (or did nothing, for an empty line).
  case done
  /// It was invalid input; its one-line error has been written.
  case invalid
  /// `quit`.
  case quit
}
