/// An option of `scope NAME(...)`: how the traced scope behaves.
public struct ScopeOption: Sendable, Equatable {
  /// The option and its value.
  public enum Kind: Sendable, Equatable {
    /// `suppress`: exit suppresses the error it receives.
    case suppress
    /// `fail-enter`: enter throws `EnterError`.
    case failEnter
    /// `throw-exit`: exit throws `ExitError`.
    case throwExit
    /// `slow-enter=D`: enter sleeps D before it finishes.
    case slowEnter(DurationExpr)
    /// `slow-exit=D`: exit sleeps D before it finishes.
    case slowExit(DurationExpr)
  }

  /// The option and its value.
  public var kind: Kind
  /// Where the option's name is.
  public var position: SourcePosition

  /// An option of `kind` written at `position`.
  public init(_ kind: Kind, position: SourcePosition) {
    self.kind = kind
    self.position = position
  }

  /// The option's name as written: `suppress`, `fail-enter`, `slow-exit`, ...
  public var name: String {
    switch kind {
    case .suppress: "suppress"
    case .failEnter: "fail-enter"
    case .throwExit: "throw-exit"
    case .slowEnter: "slow-enter"
    case .slowExit: "slow-exit"
    }
  }

  /// The names of options that take no value.
  public static let flagNames = ["suppress", "fail-enter", "throw-exit"]
  /// The names of options that take a duration (`slow-enter=0.5`).
  public static let durationNames = ["slow-enter", "slow-exit"]
}
