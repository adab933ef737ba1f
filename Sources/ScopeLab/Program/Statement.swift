/// One statement of a scope program, with where it starts.
public struct Statement: Sendable, Equatable {
  /// What the statement does.
  public enum Kind: Sendable, Equatable {
    /// `timeout D { ... }`, `runner { ... }`, `process ARG... { ... }`,
    /// `scope NAME(OPTIONS) { ... }`, `group { ... }`, or a list of them (`A, B { ... }`).
    case scope(ScopeStatement)
    /// `sleep D`: a cancellable sleep.
    case sleep(DurationExpr)
    /// `busy D`: spins for D without ever checking cancellation.
    case busy(DurationExpr)
    /// `print WORDS`: the words joined by single spaces (no words: an empty line).
    case print([Word])
    /// `throw NAME`: throws an error named NAME.
    case throwError(Word)
    /// `try { ... } catch NAME { ... } catch { ... }`.
    case tryCatch(TryStatement)
    /// `return [VALUE]`: ends the whole program, outcome ok.
    case returnValue(Word?)
    /// `wait`: waits for the child of the innermost enclosing `process` block.
    case wait
    /// `reschedule D`: moves the innermost enclosing timeout's deadline to now + D.
    case reschedule(DurationExpr)
    /// `task { ... }`: inside a `group`, starts the block as a concurrent child task of
    /// the nearest enclosing group, runs it at once up to its first await, and goes on (TG1).
    case task(Block)
  }

  /// What the statement does.
  public var kind: Kind
  /// Where the statement's first word is.
  public var position: SourcePosition

  /// A statement doing `kind`, written at `position`.
  public init(_ kind: Kind, position: SourcePosition) {
    self.kind = kind
    self.position = position
  }
}
