/// A command as it was typed: its lines, exactly, and how long the first one took to come.
///
/// What a transcript records of a command (``TranscriptRecorder/command(prompt:lines:wait:)``).
public struct TypedCommand: Sendable, Equatable {
  /// The lines, without line breaks: the first typed at the prompt, the others at `...> `.
  public var lines: [String]
  /// From showing the prompt to receiving the first line.
  public var wait: Duration

  public init(lines: [String], wait: Duration = .zero) {
    self.lines = lines
    self.wait = wait
  }
}
