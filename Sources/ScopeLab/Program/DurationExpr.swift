import AsyncScope

/// A duration as written in a program: a literal (`2`, `500ms`, `inf`) or a word with
/// parameters (`$sleep`, `${sleep}ms`).
///
/// Literal durations are validated when the program is parsed; a duration with
/// parameters is expanded and validated by ``resolve(parameters:)`` when it runs.
public struct DurationExpr: Sendable, Equatable, CustomStringConvertible {
  /// The word that spells the duration.
  public var word: Word

  /// A duration spelled by `word`.
  public init(_ word: Word) {
    self.word = word
  }

  /// Where the duration is written.
  public var position: SourcePosition { word.position }

  /// The duration when it has no parameters and is valid, otherwise `nil`.
  public var literalValue: UserDuration? {
    guard let text = word.literalText else { return nil }
    return try? UserDuration(parsing: text)
  }

  public var description: String { word.description }
}
