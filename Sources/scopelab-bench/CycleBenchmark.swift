import AsyncScope
import PosixThread

/// Nanoseconds per enter + exit of a scope that neither fails nor suspends.
///
/// Each batch runs `iterations` cycles in a loop (loop and a black-hole call included);
/// the result is the median over batches of the mean per cycle, after one warm-up batch.
struct CycleBenchmark {
  let batches: Int
  let iterations: Int

  func measure(_ cycle: @Sendable (Int) async throws -> Int?) async throws -> Cycle {
    let clock = ContinuousClock()
    var perCycle = Samples()
    var cpuPerCycle = Samples()
    for batch in -1..<batches {
      let start = clock.now
      let cpuStart = processCPUTime()
      for index in 0..<iterations {
        BlackHole.consume(try await cycle(index))
      }
      let elapsed = start.duration(to: clock.now)
      let cpu = processCPUTime() - cpuStart
      if batch >= 0 {
        perCycle.add(elapsed.inNanoseconds / Double(iterations))
        cpuPerCycle.add(cpu.inNanoseconds / Double(iterations))
      }
    }
    return Cycle(wall: perCycle.median, cpu: cpuPerCycle.median)
  }

  /// A trivial value scope through `withScope`, no tracer.
  func scope() async throws -> Cycle {
    try await measure { index in try await withScope(TrivialScope(token: index)) { $0 } }
  }

  /// The same, with a fresh class instance per cycle (one allocation more).
  func classScope() async throws -> Cycle {
    try await measure { index in try await withScope(ClassScope(token: index)) { $0 } }
  }

  /// The trivial scope inside a tracer whose sink discards every event.
  func tracedScope() async throws -> Cycle {
    let tracer = Tracer(sink: DiscardingSink(), clock: ContinuousClock())
    return try await tracer.run { try await scope() }
  }

  /// The floor under a timeout cycle (TO1: the body runs in a task of its own): start
  /// a task that returns at once on this thread, and await it.
  func childTask() async throws -> Cycle {
    try await measure { index in await Task.immediate { index }.value }
  }

  /// A fresh Timeout with no deadline: everything but the timer.
  func untimedTimeout() async throws -> Cycle {
    try await measure { index in try await withScope(Timeout(nil)) { index } }
  }

  /// A fresh task group that starts 10 empty tasks and waits for them.
  func group() async throws -> Cycle {
    try await measure { index in
      try await withScope(TaskGroupScope()) { group in
        for _ in 0..<10 { group.addTask {} }
        return index
      }
    }
  }

  /// The floor under a group cycle: Swift's own discarding task group, owned by a task
  /// started on this thread, starting 10 empty tasks.
  func bareGroup() async throws -> Cycle {
    try await measure { index in
      await Task.immediate {
        await withDiscardingTaskGroup { group in
          for _ in 0..<10 { group.addTask {} }
        }
        return index
      }.value
    }
  }

  /// A fresh 10 s Timeout that never fires, around a body that returns at once.
  func timeout() async throws -> Cycle {
    try await measure { index in
      try await withScope(Timeout(.seconds(10))) { index }
    }
  }
}

/// One cycle benchmark's result: the median of the batches' means per cycle, in wall
/// time (what the targets compare) and in CPU time of the whole process, every thread
/// (what a loaded machine disturbs less: time spent waiting for a CPU is not in it).
struct Cycle {
  let wall: Double
  let cpu: Double
}

/// CPU time used so far by the process, all threads.
func processCPUTime() -> Duration {
  Syscall.processCPUTime()
}

extension Duration {
  var inNanoseconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
  }

  var inMilliseconds: Double { inNanoseconds / 1e6 }
}
