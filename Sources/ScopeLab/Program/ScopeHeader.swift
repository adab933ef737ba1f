/// One scope of a scope statement, before its block: `timeout 2`, `runner`,
/// `process sleep 10`, `scope A(suppress)`.
public struct ScopeHeader: Sendable, Equatable {
  /// Which scope, with its arguments.
  public enum Kind: Sendable, Equatable {
    /// `timeout D`: cancels the block at the deadline.
    case timeout(DurationExpr)
    /// `runner`: `running = true` on enter, `false` on exit.
    case runner
    /// `process ARG...`: spawns the command on enter; never empty.
    case process([Word])
    /// `scope NAME(OPTIONS)`: a scope that only traces, shaped by its options.
    case named(Word, options: [ScopeOption])
    /// `group`: a task group; exit waits for every `task` started inside (TG).
    case group
  }

  /// Which scope, with its arguments.
  public var kind: Kind
  /// Where the scope's keyword is.
  public var position: SourcePosition

  /// A scope of `kind` written at `position`.
  public init(_ kind: Kind, position: SourcePosition) {
    self.kind = kind
    self.position = position
  }

  /// The keyword that starts this scope: `timeout`, `runner`, `process`, `scope` or `group`.
  public var keyword: String {
    switch kind {
    case .timeout: "timeout"
    case .runner: "runner"
    case .process: "process"
    case .named: "scope"
    case .group: "group"
    }
  }

  /// The keywords that start a scope.
  public static let keywords = ["timeout", "runner", "process", "scope", "group"]
}
