import TestSupport

/// How a finished `scopelab` ended and what it wrote.
struct Finished: CustomStringConvertible {
  var termination: PipedProcess.Termination
  var output: String
  var errors: String

  /// The exit status, or nil if a signal ended it.
  var status: Int32? {
    if case .exited(let code) = termination { return code }
    return nil
  }

  /// Standard output's lines, without empty ones.
  var lines: [String] { output.split(separator: "\n").map(String.init) }

  var description: String {
    "\(termination)\n--- stdout\n\(output)--- stderr\n\(errors)"
  }
}
