/// Something wrong with a scope program: a parse error, or a parameter that cannot be
/// expanded or used when the program runs.
///
/// ``description`` renders it the way a learner reads it, with the source line and a
/// caret under the problem:
///
/// ```
/// error: unknown statement 'sleeep' - did you mean 'sleep'?
///  1 | timeout 2 { sleeep 1 }
///    |             ^
/// ```
public struct ProgramError: Error, Sendable, Equatable, CustomStringConvertible {
  /// One sentence saying what is wrong (and, where it can, what to write instead).
  public var message: String
  /// Where the problem is.
  public var position: SourcePosition
  /// The text of the source line at `position.line`, when known; used by ``rendered``.
  public var sourceLine: String?
  /// Whether the program ended where a next line could still go on with it: a block's
  /// `{`, a `catch`, or the scope after a `,` may start on the next line. The REPL then
  /// reads another line instead of reporting the error.
  public var endsTooSoon = false

  /// An error at `position`; attach the source with ``withSource(_:)``.
  public init(_ message: String, at position: SourcePosition, sourceLine: String? = nil) {
    self.message = message
    self.position = position
    self.sourceLine = sourceLine
  }

  /// The line of the problem, from 1.
  public var line: Int { position.line }
  /// The column of the problem, from 1.
  public var column: Int { position.column }

  /// This error with its source line taken from the whole program text `source`.
  public func withSource(_ source: String) -> ProgramError {
    var error = self
    error.sourceLine = SourceLines.line(position.line, of: source)
    return error
  }

  /// The message, the source line with its number, and a caret under the column; or
  /// `error: LINE:COLUMN: message` when the source line is not known. Control and
  /// bidirectional formatting characters of the source and of what the message quotes
  /// (a line break in a quoted word included) are shown escaped, the caret under the
  /// escape of the character it points at.
  public var rendered: String {
    let message = message.controlCharactersEscaped  // one line, even quoting a line break
    guard let sourceLine else { return "error: \(position): \(message)" }
    let (window, caretColumn) = SourceLines.window(of: sourceLine, around: position.column)
    let shown = window.map { $0 == "\t" ? "\t" : String($0).controlCharactersEscaped }
    let number = String(position.line)
    let gutter = String(repeating: " ", count: number.count)
    // The caret goes under the column's character as a terminal shows it: a wide
    // character before it takes two columns, a combining mark none, a tab stays a tab.
    let lead = shown.prefix(caretColumn - 1).map {
      $0 == "\t" ? "\t" : String(repeating: " ", count: $0.displayWidth)
    }.joined()
    return """
      error: \(message)
       \(number) | \(shown.joined())
       \(gutter) | \(lead)^
      """
  }

  public var description: String { rendered }

  /// Errors are equal when they say the same thing at the same place.
  public static func == (lhs: ProgramError, rhs: ProgramError) -> Bool {
    lhs.message == rhs.message && lhs.position == rhs.position && lhs.sourceLine == rhs.sourceLine
  }

  /// This error, marked as one a next line of input could still resolve.
  func endingTooSoon(_ endsTooSoon: Bool = true) -> ProgramError {
    var error = self
    error.endsTooSoon = endsTooSoon
    return error
  }
}
