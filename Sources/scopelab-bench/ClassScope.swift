import AsyncScope

/// ``TrivialScope`` as a class, allocated afresh for every cycle as built-in scopes are.
final class ClassScope: AsyncScope, TraceNamed {
  let token: Int

  init(token: Int) {
    self.token = token
  }

  var traceName: String { "trivial" }

  func enter() async throws -> Int { token }

  func exit(_ context: ExitContext<Int>) async throws -> ExitDecision { .propagate }
}
