import AsyncScope
import LineEditor

/// A yes/no question for the person at the terminal (`replay` and `verify` ask before
/// they start processes).
public enum TerminalQuestion {
  /// Asks on standard error and reads the answer from standard input, when it is a
  /// terminal: whether it was yes; `nil` when there is no terminal to ask.
  @Sendable public static func ask(_ question: String) async -> Bool? {
    guard Terminal.isInteractive else { return nil }
    StandardOutput(.error).write(question)
    let reader = PlainLineReader()
    defer { reader.close() }
    guard case .line(let answer) = await reader.readLine(prompt: "") else { return false }
    return ["y", "yes"].contains(answer.trimmingSpaces().lowercased())
  }
}
