/// How a run ended: the last line of the trace and the exit status of `scopelab run`.
public enum RunOutcome: Sendable, Equatable {
  /// The program finished, or `return` ended it; with the returned value, if any.
  case ok(value: String?)
  /// An error left the program: its name, what it replaced, a one-line description.
  case failed(name: String, context: String?, detail: String)
  /// The user pressed Ctrl-C.
  case interrupted

  /// `ok`, the error's name, or `KeyboardInterrupt`.
  public var name: String {
    switch self {
    case .ok: "ok"
    case .failed(let name, _, _): name
    case .interrupted: "KeyboardInterrupt"
    }
  }

  /// DESIGN.md's exit status: 0 ok, 1 an error, 130 Ctrl-C.
  public var exitStatus: Int32 {
    switch self {
    case .ok: 0
    case .failed: 1
    case .interrupted: 130
    }
  }
}
