import AsyncScope

/// The smallest scope there is: enter hands out a number, exit does nothing.
///
/// A value type with no state, like the reused object of the Python side's trivial
/// `async with`; ``ClassScope`` adds the allocation of a fresh object per cycle.
struct TrivialScope: AsyncScope, TraceNamed {
  let token: Int

  var traceName: String { "trivial" }

  func enter() async throws -> Int { token }

  func exit(_ context: ExitContext<Int>) async throws -> ExitDecision { .propagate }
}
