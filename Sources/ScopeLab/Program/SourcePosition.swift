/// A place in a scope program's source text.
///
/// Lines and columns start at 1. Columns count characters (grapheme clusters), so a
/// caret printed under the source line lands on the character the position names.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The line, from 1.
  public var line: Int
  /// The column within the line, from 1.
  public var column: Int

  /// A position at `line` and `column`, both counted from 1.
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  /// The first character of the input.
  public static let start = SourcePosition(line: 1, column: 1)

  public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }

  /// `line:column`, as in error messages ("the block opened at 1:11").
  public var description: String { "\(line):\(column)" }
}
