/// `try { ... } catch NAME { ... } catch { ... }`.
public struct TryStatement: Sendable, Equatable {
  /// The block whose errors are caught.
  public var body: Block
  /// The catch clauses in order; never empty. At most the last one catches everything.
  public var catches: [CatchClause]

  /// A try statement running `body`, handled by `catches`.
  public init(body: Block, catches: [CatchClause]) {
    self.body = body
    self.catches = catches
  }
}

/// `catch NAME { ... }` (catches the error named NAME) or `catch { ... }` (catches
/// anything, cancellation included).
public struct CatchClause: Sendable, Equatable {
  /// The error name, or `nil` for a catch-all.
  public var errorName: Word?
  /// The block run when the clause catches.
  public var body: Block
  /// Where the `catch` keyword is.
  public var position: SourcePosition

  /// A clause catching `errorName` (or anything, when `nil`) with `body`.
  public init(errorName: Word?, body: Block, position: SourcePosition) {
    self.errorName = errorName
    self.body = body
    self.position = position
  }
}
