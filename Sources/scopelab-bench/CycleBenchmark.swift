import AsyncScope

/// Nanoseconds per enter + exit of a scope that neither fails nor suspends.
///
/// Each batch runs `iterations` cycles in a loop (loop and a black-hole call included);
/// the result is the median over batches of the mean per cycle, after one warm-up batch.
struct CycleBenchmark {
  let batches: Int
  let iterations: Int

  func measure(_ cycle: @Sendable (Int) async throws -> Int?) async throws -> Double {
    let clock = ContinuousClock()
    var perCycle = Samples()
    for batch in -1..<batches {
      let start = clock.now
      for index in 0..<iterations {
        BlackHole.consume(try await cycle(index))
      }
      let elapsed = start.duration(to: clock.now)
      if batch >= 0 { perCycle.add(elapsed.inNanoseconds / Double(iterations)) }
    }
    return perCycle.median
  }

  /// A trivial value scope through `withScope`, no tracer.
  func scope() async throws -> Double {
    try await measure { index in try await withScope(TrivialScope(token: index)) { $0 } }
  }

  /// The same, with a fresh class instance per cycle (one allocation more).
  func classScope() async throws -> Double {
    try await measure { index in try await withScope(ClassScope(token: index)) { $0 } }
  }

  /// The trivial scope inside a tracer whose sink discards every event.
  func tracedScope() async throws -> Double {
    let tracer = Tracer(sink: DiscardingSink(), clock: ContinuousClock())
    return try await tracer.run { try await scope() }
  }

  /// The floor under a timeout cycle (TO1: the body runs in a task of its own): start
  /// a task that returns at once on this thread, and await it.
  func childTask() async throws -> Double {
    try await measure { index in await Task.immediate { index }.value }
  }

  /// A fresh Timeout with no deadline: everything but the timer.
  func untimedTimeout() async throws -> Double {
    try await measure { index in try await withScope(Timeout(nil)) { index } }
  }

  /// A fresh task group that starts 10 empty tasks and waits for them.
  func group() async throws -> Double {
    try await measure { index in
      try await withScope(TaskGroupScope()) { group in
        for _ in 0..<10 { group.addTask {} }
        return index
      }
    }
  }

  /// A fresh 10 s Timeout that never fires, around a body that returns at once.
  func timeout() async throws -> Double {
    try await measure { index in
      try await withScope(Timeout(.seconds(10))) { index }
    }
  }
}

extension Duration {
  var inNanoseconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
  }

  var inMilliseconds: Double { inNanoseconds / 1e6 }
}
