/// A `{ ... }` block: the body of a scope, a `try` or a `catch`.
public struct Block: Sendable, Equatable {
  /// The statements in order; empty statements (`;;`, blank lines) are not kept.
  public var statements: [Statement]
  /// Where the `{` is.
  public var position: SourcePosition
  /// Where the closing `}` is.
  public var end: SourcePosition

  /// A block holding `statements`, written from `position` to `end`.
  public init(_ statements: [Statement], position: SourcePosition, end: SourcePosition) {
    self.statements = statements
    self.position = position
    self.end = end
  }
}
