/// How a run ended: the last line of the trace and the exit status of `scopelab run`.
public enum RunOutcome: Sendable, Equatable {
  /// The program finished, or `return` ended it; with the returned value, if any.
  case ok(value: String?)
  /// An error left the program: its name, what it replaced, a one-line description.
  case failed(name: String, context: String?, detail: String)
  /// The user pressed Ctrl-C (`signal` nil), or a stop signal ended the run: `SIGTERM`,
  /// `SIGHUP`, or `SIGPIPE` for output that nobody reads any more.
  case interrupted(signal: String?)

  /// The user pressed Ctrl-C.
  public static let keyboardInterrupt = RunOutcome.interrupted(signal: nil)

  /// `ok`, the error's name, `KeyboardInterrupt`, or the stop signal's name.
  public var name: String {
    switch self {
    case .ok: "ok"
    case .failed(let name, _, _): name
    case .interrupted(let signal): signal ?? "KeyboardInterrupt"
    }
  }

  /// DESIGN.md's exit status: 0 ok, 1 an error, 130 Ctrl-C, 128 + a stop signal's number.
  public var exitStatus: Int32 {
    switch self {
    case .ok: 0
    case .failed: 1
    case .interrupted(let signal): 128 + (Self.signalNumbers[signal ?? "SIGINT"] ?? 2)
    }
  }

  /// The signals a run can be stopped by, and their numbers on Linux.
  public static let signalNumbers: [String: Int32] = [
    "SIGHUP": 1, "SIGINT": 2, "SIGPIPE": 13, "SIGTERM": 15,
  ]
}
