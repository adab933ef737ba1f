import AsyncScope
import Clocks
import Testing

@Suite("TO: the timeout scope")
struct TimeoutTests {
  // MARK: - The seed's two examples (real time)

  @Test("seed: timeout 2 around sleep 1 prints done, then after")
  func seedDone() async throws {
    let log = CallLog()
    let start = ContinuousClock.now
    try await withScope(Timeout(.seconds(2))) {
      try await sleep(1)
      log.add("done")
    }
    log.add("after")
    #expect(log.all == ["done", "after"])
    #expect(secondsSince(start) < 1.8)
  }

  @Test("seed: timeout 2 around sleep 3 fails with TimeoutError at about 2 s")
  func seedTimeout() async throws {
    let log = CallLog()
    let start = ContinuousClock.now
    await #expect(throws: TimeoutError.self) {
      try await withScope(Timeout(.seconds(2))) {
        try await sleep(3)
        log.add("done")
      }
      log.add("after")
    }
    let elapsed = secondsSince(start)
    #expect(log.all.isEmpty)
    #expect(elapsed >= 1.98 && elapsed < 2.5, "took \(elapsed)s")
  }

  // MARK: - TO1 only the body is cancelled

  @Test("TO1: after a handled timeout the enclosing task is not cancelled and can sleep")
  func enclosingNotCancelled() async throws {
    do {
      try await withScope(Timeout(.milliseconds(30))) { try await sleep(10) }
      Issue.record("no timeout")
    } catch is TimeoutError {}
    #expect(!Task.isCancelled)
    try await sleep(0.02)
  }

  // MARK: - TO2 never returns before the body has finished

  @Test("TO2: a body slow to finish after cancellation is awaited, not detached")
  func waitsForSlowBody() async throws {
    let log = CallLog()
    let start = ContinuousClock.now
    await #expect(throws: TimeoutError.self) {
      try await withScope(Timeout(.milliseconds(50))) {
        do {
          try await sleep(10)
        } catch {
          // Cleanup that ignores cancellation, then the cancellation goes on.
          try await withUncancelledTask { try await sleep(0.2) }
          log.add("body finished")
          throw error
        }
      }
    }
    #expect(log.all == ["body finished"])
    #expect(secondsSince(start) >= 0.24)
  }

  // MARK: - TO3 when TimeoutError is thrown

  @Test("TO3: outside cancellation wins even when the deadline passed during cleanup")
  func outsideCancellationWins() async throws {
    let timeout = Timeout(.milliseconds(100))
    let task = Task {
      try await withScope(timeout) {
        do {
          try await sleep(10)
        } catch {
          try await withUncancelledTask { try await sleep(0.2) }
          throw error
        }
      }
    }
    try await sleep(0.02)
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(timeout.expired)
  }

  @Test("TO3: a cancellation before the deadline is not a timeout")
  func cancellationBeforeDeadline() async throws {
    let timeout = Timeout(.seconds(10))
    let task = Task { try await withScope(timeout) { try await sleep(10) } }
    try await sleep(0.02)
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(!timeout.expired)
    #expect(timeout.phase == .finished)
  }

  @Test(
    "TO1: the body of a timeout entered by a cancelled caller starts cancelled, as a child task does"
  )
  func cancelledCallerCancelsBody() async throws {
    // Swift's own rule: a child task of a cancelled task is cancelled as it starts. A body
    // that never suspends sees it through its checks; nothing else can reach it.
    let probe = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      let checks = try await withScope(Timeout(.seconds(10))) { () async throws -> Bool in
        Task.isCancelled
      }
      let thrown = await #expect(throws: CancellationError.self) {
        try await withScope(Timeout(nil)) { try Task.checkCancellation() }
      }
      return (checks, thrown != nil)
    }
    let (sawCancellation, checkThrew) = try await probe.value
    #expect(sawCancellation == true)
    #expect(checkThrew)
  }

  @Test("TO3: a TimeoutError the body throws itself is not this timeout's")
  func ownTimeoutErrorIsNotExpiry() async throws {
    let timeout = Timeout(.seconds(10))
    await #expect(throws: TimeoutError.self) {
      try await withScope(timeout) {
        throw TimeoutError(limit: .seconds(1), elapsed: .seconds(1))
      }
    }
    #expect(!timeout.expired)
  }

  // MARK: - TO4 otherwise the body's own outcome

  @Test("TO4: a body that swallows cancellation returns its value, with expired = true")
  func swallowedCancellationReturnsValue() async throws {
    let timeout = Timeout(.milliseconds(30))
    let value = try await withScope(timeout) { () async throws -> Int in
      do { try await sleep(10) } catch {}
      return 7
    }
    #expect(value == 7)
    #expect(timeout.expired)
    #expect(timeout.phase == .expired)
  }

  @Test("TO4: an error raised after expiry propagates as itself: `catch is CleanupError`")
  func errorAfterExpiry() async throws {
    struct CleanupError: Error {}
    let timeout = Timeout(.milliseconds(30))
    var caught = false
    do {
      try await withScope(timeout) {
        do { try await sleep(10) } catch { throw CleanupError() }
      }
      Issue.record("no error")
    } catch is CleanupError {
      caught = true
    }
    #expect(caught)
    #expect(timeout.expired)
  }

  @Test("TO4: a traced run notes beside the late error when the deadline was")
  func errorAfterExpiryTraced() async throws {
    let failure = await failureInTracedRun {
      try await withScope(Timeout(.milliseconds(30))) {
        do { try await sleep(10) } catch { throw NamedError("CleanupError") }
      }
    }
    let (error, chain) = try #require(failure)
    #expect(error as? NamedError == NamedError("CleanupError"))
    #expect(chain.description() == "CleanupError (timeout expired at 0.03s)")
    #expect(chain.contextDescription == nil)
  }

  // MARK: - TO5 nested timeouts

  @Test("TO5: an inner timeout that expires alone converts")
  func innerExpires() async throws {
    let outer = Timeout(.seconds(10))
    let inner = Timeout(.milliseconds(30))
    let caught = try await withScope(outer) { () async throws -> Bool in
      do {
        try await withScope(inner) { try await sleep(10) }
        return false
      } catch is TimeoutError {
        return true
      }
    }
    #expect(caught == true)
    #expect(inner.expired && !outer.expired)
  }

  @Test("TO5: when the outer expires first, the inner passes the cancellation through")
  func outerExpiresFirst() async throws {
    let log = CallLog()
    await #expect(throws: TimeoutError.self) {
      try await withScope(Timeout(.milliseconds(30))) {
        do {
          try await withScope(Timeout(.seconds(10))) { try await sleep(10) }
        } catch is TimeoutError {
          log.add("inner converted")
          throw TimeoutError(limit: nil, elapsed: .zero)
        }
      }
    }
    #expect(log.all.isEmpty)
  }

  @Test("TO5: equal deadlines (real clock): only the outermost converts, 50 times")
  func equalDeadlinesRealClock() async throws {
    for _ in 0..<50 {
      let clock = ContinuousClock()
      let deadline = clock.now.advanced(by: .milliseconds(5))
      let outer = Timeout(at: deadline, clock: clock)
      let inner = Timeout(at: deadline, clock: clock)
      let log = CallLog()
      await #expect(throws: TimeoutError.self) {
        try await withScope(outer) {
          do {
            try await withScope(inner) { try await sleep(10) }
          } catch is TimeoutError {
            log.add("inner converted")
          }
        }
      }
      #expect(log.all.isEmpty)
      #expect(outer.phase == .expired)
    }
  }

  @Test("TO5: equal deadlines (test clock): only the outermost converts, 50 times")
  func equalDeadlinesTestClock() async throws {
    for _ in 0..<50 {
      let clock = TestClock()
      let outer = Timeout(.seconds(1), clock: clock)
      let inner = Timeout(.seconds(1), clock: clock)
      let log = CallLog()
      let task = Task {
        try await withScope(outer) {
          do {
            try await withScope(inner) { try await clock.sleep(for: .seconds(5)) }
          } catch is TimeoutError {
            log.add("inner converted")
          }
        }
      }
      // Both deadlines are computed at enter: advance only once both are armed.
      try await waitUntil { outer.phase == .active && inner.phase == .active }
      await clock.advance(by: .seconds(1))
      await #expect(throws: TimeoutError.self) { try await task.value }
      #expect(log.all.isEmpty)
      #expect(outer.deadline == inner.deadline)
    }
  }

  // MARK: - TO6 deadline already passed at enter

  @Test("TO6: timeout 0 { sleep 0 } is a TimeoutError every time", arguments: [0, -1])
  func zeroTimeout(limit: Int) async throws {
    for _ in 0..<200 {
      await #expect(throws: TimeoutError.self) {
        try await withScope(Timeout(.seconds(limit))) {
          try await Task.sleep(for: .zero)
        }
      }
    }
  }

  @Test("TO6: a body with no suspension point still completes under timeout 0")
  func zeroTimeoutNoSuspension() async throws {
    let timeout = Timeout(.zero)
    let value = try await withScope(timeout) { 5 }
    #expect(value == 5)
    #expect(timeout.expired)
  }

  // MARK: - TO8 state and reschedule

  @Test("TO8: phases go created, active, finished when the body is quick")
  func phasesFinished() async throws {
    let timeout = Timeout(.seconds(10))
    #expect(timeout.phase == .created)
    try await withScope(timeout) { #expect(timeout.phase == .active) }
    #expect(timeout.phase == .finished)
    #expect(!timeout.expired)
  }

  @Test("TO8: phases go active, expiring, expired when the deadline fires")
  func phasesExpired() async throws {
    let timeout = Timeout(.milliseconds(20))
    await #expect(throws: TimeoutError.self) {
      try await withScope(timeout) {
        do { try await sleep(10) } catch {
          #expect(timeout.phase == .expiring)
          throw error
        }
      }
    }
    #expect(timeout.phase == .expired)
  }

  @Test("TO8: reschedule is refused outside the active state, with asyncio's messages")
  func rescheduleMisuse() async throws {
    let created = Timeout(.seconds(1))
    #expect(throws: ScopeUsageError("Timeout has not been entered")) {
      try created.reschedule(after: .seconds(1))
    }
    let finished = Timeout(.seconds(1))
    try await withScope(finished) {}
    #expect(throws: ScopeUsageError("Cannot change state of finished Timeout")) {
      try finished.reschedule(after: .seconds(1))
    }
    let expired = Timeout(.milliseconds(10))
    _ = try? await withScope(expired) {
      do { try await sleep(10) } catch {
        #expect(throws: ScopeUsageError("Cannot change state of expiring Timeout")) {
          try expired.reschedule(after: .seconds(1))
        }
        throw error
      }
    }
    #expect(throws: ScopeUsageError("Cannot change state of expired Timeout")) {
      try expired.reschedule(after: .seconds(1))
    }
  }

  @Test("TO8: reschedule later lets a slow body finish")
  func rescheduleLater() async throws {
    let timeout = Timeout(.milliseconds(50))
    let value = try await withScope(timeout) { () async throws -> Int in
      try TimeoutStack.innermost?.reschedule(after: .seconds(5))
      try await sleep(0.15)
      return 1
    }
    #expect(value == 1)
    #expect(!timeout.expired)
  }

  @Test("TO8: reschedule earlier fires sooner; none removes the deadline")
  func rescheduleEarlierAndNone() async throws {
    let start = ContinuousClock.now
    await #expect(throws: TimeoutError.self) {
      try await withScope(Timeout(.seconds(10))) {
        try TimeoutStack.innermost?.reschedule(after: .milliseconds(30))
        try await sleep(10)
      }
    }
    #expect(secondsSince(start) < 2)
    let unlimited = Timeout(.milliseconds(20))
    try await withScope(unlimited) {
      try unlimited.reschedule(after: nil)
      try await sleep(0.08)
    }
    #expect(!unlimited.expired)
  }

  @Test("The deadline is computed at enter, not at creation")
  func deadlineAtEnter() async throws {
    let clock = TestClock()
    let timeout = Timeout(.seconds(1), clock: clock)
    await clock.advance(by: .seconds(5))
    try await withScope(timeout) {
      #expect(timeout.deadline == clock.now.advanced(by: .seconds(1)))
    }
  }

  // MARK: - Test clock: exact times

  @Test("test clock: sleep 3 under timeout 2 fails exactly at the deadline")
  func testClockTimeout() async throws {
    let clock = TestClock()
    let timeout = Timeout(.seconds(2), clock: clock)
    let task = Task { try await withScope(timeout) { try await clock.sleep(for: .seconds(3)) } }
    try await waitUntil { timeout.phase == .active }
    await clock.advance(by: .milliseconds(1999))
    #expect(timeout.phase == .active)
    await clock.advance(by: .milliseconds(1))
    do {
      _ = try await task.value
      Issue.record("no timeout")
    } catch let error as TimeoutError {
      #expect(error.elapsed == .seconds(2))
      #expect(error.description == "timeout(2s) expired after 2.000s")
    }
  }
}
