/// One line of a command's recorded output as the transcript file has it.
public struct ExpectedLine: Sendable, Equatable {
  /// The line's text, without its newline.
  public var text: String
  /// Where the line is in the file, from 1.
  public var lineNumber: Int

  /// The line `text`, found at `lineNumber` (from 1) in the file.
  public init(text: String, lineNumber: Int) {
    self.text = text
    self.lineNumber = lineNumber
  }
}
