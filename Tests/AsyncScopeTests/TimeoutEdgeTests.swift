import AsyncScope
import Clocks
import Testing

/// The timeout's paths around enter and the body's start: a deadline that is already
/// due as enter arms it, one moved to now by `reschedule`, a caller cancelled before the
/// body first suspends, and the instants a continuous-clock timeout reports.
@Suite("TO: a timeout's deadline at the edges of enter and the body")
struct TimeoutEdgeTests {
  @Test("TO6: a deadline due exactly at enter (timeout_at now) cancels the body before it starts")
  func deadlineDueAtEnter() async throws {
    let clock = TestClock()
    let timeout = Timeout(at: clock.now, clock: clock)
    let log = CallLog()
    await #expect(throws: TimeoutError.self) {
      try await withScope(timeout) {
        // Seen at once, with no suspension before it.
        log.add("cancelled: \(Task.isCancelled)")
        try await clock.sleep(for: .seconds(1))
        log.add("slept")
      }
    }
    #expect(log.all == ["cancelled: true"])
    #expect(timeout.phase == .expired)
  }

  @Test("TO6: a body that never suspends sees the cancellation of a deadline due at enter")
  func deadlineDueAtEnterNoSuspension() async throws {
    let timeout = Timeout(.zero)
    // No suspension point: the body returns its value (TO4), having been cancelled.
    let sawCancellation = try await withScope(timeout) { Task.isCancelled }
    #expect(sawCancellation == true)
    #expect(timeout.expired)
  }

  @Test("TO8: reschedule to now, before the body first suspends, fires: its sleep throws")
  func rescheduleToNow() async throws {
    let timeout = Timeout(.seconds(10))
    let start = ContinuousClock.now
    await #expect(throws: TimeoutError.self) {
      try await withScope(timeout) {
        // Fired here; the body sees it at its next suspension, as asyncio's
        // `reschedule` into the past fires on the loop's next turn.
        try timeout.reschedule(after: .zero)
        #expect(timeout.phase == .expiring)
        try await sleep(10)
      }
    }
    #expect(timeout.phase == .expired)
    #expect(secondsSince(start) < 5)
  }

  @Test("TO3: a caller cancelled before the body's first suspension gets its cancellation")
  func callerCancelledBeforeFirstSuspension() async throws {
    let start = ContinuousClock.now
    let timeout = Timeout(.seconds(10))
    let task = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      try await withScope(timeout) { try await sleep(10) }
    }
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(!timeout.expired)
    #expect(timeout.phase == .finished)
    #expect(secondsSince(start) < 5)
  }

  @Test("A continuous-clock timeout reports its deadline exactly: timeout_at's instant")
  func continuousDeadlineExact() async throws {
    let instant = ContinuousClock.now.advanced(by: .seconds(5))
    let timeout = Timeout(at: instant, clock: ContinuousClock())
    try await withScope(timeout) {
      #expect(timeout.deadline == instant)
    }
    let relative = Timeout(.seconds(3))
    let before = ContinuousClock.now
    try await withScope(relative) {
      let deadline = try #require(relative.deadline)
      #expect(deadline >= before.advanced(by: .seconds(3)))
      #expect(deadline <= ContinuousClock.now.advanced(by: .seconds(3)))
    }
  }

  @Test("Many timeouts in a row that never fire, then one that does: it fires")
  func manyQuickTimeouts() async throws {
    for index in 0..<2_000 {
      let value = try await withScope(Timeout(.seconds(10))) { index }
      #expect(value == index)
    }
    await #expect(throws: TimeoutError.self) {
      try await withScope(Timeout(.milliseconds(20))) { try await sleep(10) }
    }
  }
}
