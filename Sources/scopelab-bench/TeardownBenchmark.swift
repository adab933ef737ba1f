import AsyncScope

/// Deadline to `TimeoutError` for a Timeout around a ProcessScope running `sleep 10`,
/// in milliseconds. ProcessScope returns only once the child is reaped, so this is
/// deadline to reaped (plus the hop back to the caller).
struct TeardownBenchmark {
  let trials: Int
  /// Long enough for the spawn and exec of `sleep` to finish before the deadline.
  let limit = Duration.milliseconds(50)

  func measure() async throws -> Samples {
    let clock = ContinuousClock()
    var teardowns = Samples()
    for _ in 0..<trials {
      let timeout = Timeout(limit, clock: clock)
      do {
        try await withScope(timeout) {
          try await withScope(ProcessScope(["sleep", "10"])) { try await $0.wait() }
        }
        throw BenchFailure("the timeout around sleep 10 did not fire")
      } catch is TimeoutError {
        let caught = clock.now
        guard let deadline = timeout.deadline else { throw BenchFailure("no deadline") }
        teardowns.add(deadline.duration(to: caught).inMilliseconds)
      }
    }
    return teardowns
  }
}
