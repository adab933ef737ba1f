/// What a ``LineReader`` hands back for one prompt.
///
/// End of input (Ctrl-D on an empty line, or the end of a pipe) is not a case:
/// ``LineReader/readLine(prompt:)`` returns `nil` for it.
public enum LineInput: Sendable, Equatable {
  /// A line, without its line terminator.
  case line(String)

  /// Ctrl-C at the prompt: the line being typed was discarded. Show a fresh prompt.
  case interrupted

  /// A line that was read but cannot be used (too long, not UTF-8, or holding a
  /// NUL byte). Report it as invalid input and carry on with the next line.
  case invalid(InvalidLine)
}

/// Why a line read from a pipe was rejected.
public struct InvalidLine: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong with the line.
  public enum Reason: Sendable, Equatable {
    /// The line holds a NUL byte.
    case containsNUL
    /// The line is not valid UTF-8.
    case invalidUTF8
    /// The line is longer than the reader's limit (in bytes); the rest of it was skipped.
    case tooLong(limit: Int)
  }

  /// What is wrong with the line.
  public var reason: Reason

  /// The line's number in the input, from 1.
  public var lineNumber: Int

  /// Creates the description of a rejected line.
  public init(_ reason: Reason, lineNumber: Int) {
    self.reason = reason
    self.lineNumber = lineNumber
  }

  /// One sentence a learner can read, e.g. "line 3 holds a NUL byte".
  public var description: String {
    switch reason {
    case .containsNUL:
      "line \(lineNumber) holds a NUL byte"
    case .invalidUTF8:
      "line \(lineNumber) is not valid UTF-8 text"
    case .tooLong(let limit):
      "line \(lineNumber) is longer than \(limit) bytes"
    }
  }
}
