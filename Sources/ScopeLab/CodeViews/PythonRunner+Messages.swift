import AsyncScope

/// What `compare` says when Python cannot run, and durations as its messages write them.
extension PythonRunner {
  /// Why the interpreter could not be started, in a few words: from the errno as
  /// AsyncScope's ``ProcessSpawnError`` reads it (the one table for spawn failures).
  static func describeSpawnFailure(_ error: any Error, _ interpreter: String) -> String {
    let failure =
      error as? ProcessSpawnError ?? ProcessSpawnError(spawning: interpreter, failure: error)
    guard failure.code == .commandNotFound else {
      return "cannot be run: permission denied or not a program"
    }
    return interpreter.contains("/") ? "not found" : "not found on PATH"
  }

  /// `30s`, `1.5s`, `200ms`.
  static func seconds(_ duration: Duration) -> String {
    let (whole, attoseconds) = duration.components
    let milliseconds = whole * 1000 + attoseconds / 1_000_000_000_000_000
    if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
    if milliseconds < 1000 { return "\(milliseconds)ms" }
    return "\(Double(milliseconds) / 1000)s"
  }
}
