import Synchronization

/// Guards a scope value against being entered twice (W6).
package final class SingleUse: Sendable {
  private let entered = Atomic<Bool>(false)

  package init() {}

  /// Marks the scope entered; throws if it already was.
  package func claim(_ name: String) throws {
    if entered.exchange(true, ordering: .relaxed) { throw Self.alreadyEntered(name) }
  }

  /// The error for a second enter of the scope called `name`.
  static func alreadyEntered(_ name: String) -> ScopeUsageError {
    ScopeUsageError("\(name) has already been entered; a scope value is single-use")
  }
}
