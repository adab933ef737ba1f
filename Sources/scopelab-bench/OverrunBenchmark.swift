import AsyncScope

/// How late after its deadline a 10 ms Timeout around a 1 s sleep reaches its caller
/// with `TimeoutError`, in milliseconds, over `trials` runs.
struct OverrunBenchmark {
  let trials: Int

  func measure() async throws -> Samples {
    let clock = ContinuousClock()
    var overruns = Samples()
    for _ in 0..<trials {
      let timeout = Timeout(.milliseconds(10), clock: clock)
      do {
        try await withScope(timeout) { try await Task.sleep(for: .seconds(1)) }
        throw BenchFailure("the 10 ms timeout did not fire")
      } catch is TimeoutError {
        let caught = clock.now
        guard let deadline = timeout.deadline else { throw BenchFailure("no deadline") }
        overruns.add(deadline.duration(to: caught).inMilliseconds)
      }
    }
    return overruns
  }
}
