import AsyncScope

/// An error with a name a learner can read: `KeyError`, `EnterError`, `ExitError`, ...
///
/// Scope programs throw these with `throw NAME`; the demonstration scope throws
/// `EnterError` and `ExitError`.
package struct NamedError: SelfNamedError, Hashable, CustomStringConvertible {
  /// The name the error is thrown, caught and traced by: `KeyError`.
  package let name: String

  package init(_ name: String) {
    self.name = name
  }

  package var description: String { name }
}
