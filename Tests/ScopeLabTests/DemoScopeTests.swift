import AsyncScope
import Testing

@testable import ScopeLab

/// The interpreter's demonstration scope and statements (moved here from AsyncScope's
/// WithScopeTests with them).
@Suite("DemoScope and Demo")
struct DemoScopeTests {
  @Test("W1: a demo scope whose enter fails leaves no exit behind")
  func demoEnterFails() async throws {
    let scope = DemoScope("A", options: .init(failEnter: true))
    await #expect(throws: NamedError("EnterError")) {
      _ = try await withScope(scope) {}
    }
    #expect(scope.exitsSeen.isEmpty)
  }

  @Test("in a cancelled task Demo.busy returns and Demo.sleep throws, as other awaits that check")
  func onlyCheckingAwaitsThrow() async throws {
    actor Counter {
      var count = 0
      func next() -> Int {
        count += 1
        return count
      }
    }
    let counter = Counter()
    let task = Task { () async -> [String] in
      while !Task.isCancelled { await Task.yield() }
      var seen = ["actor method returned \(await counter.next())"]
      await Task.yield()
      seen.append("yield returned")
      await Demo.busy(.milliseconds(20))
      seen.append("busy returned")
      do {
        try await Demo.sleep(.seconds(5))
        seen.append("slept")
      } catch {
        seen.append("sleep threw \(error)")
      }
      seen.append("still cancelled: \(Task.isCancelled)")
      return seen
    }
    task.cancel()
    #expect(
      await task.value == [
        "actor method returned 1", "yield returned", "busy returned",
        "sleep threw CancellationError()", "still cancelled: true",
      ])
  }

  @Test("W5: an exit that awaits still completes when the task was cancelled")
  func cleanupSurvivesCancellation() async throws {
    let scope = DemoScope("A", options: .init(slowExit: .milliseconds(100)))
    let task = Task { try await withScope(scope) { try await Task.sleep(for: .seconds(10)) } }
    try await Task.sleep(for: .milliseconds(50))
    let start = ContinuousClock.now
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    // The exit's 100 ms sleep really ran instead of throwing at once.
    #expect(start.duration(to: .now) >= .milliseconds(90))
    #expect(scope.exitsSeen == ["CancellationError"])
  }

  @Test("W6: entering a demo scope twice fails the second enter")
  func singleUse() async throws {
    let scope = DemoScope("A")
    _ = try await withScope(scope) {}
    do {
      _ = try await withScope(scope) {}
      Issue.record("second enter succeeded")
    } catch {
      #expect(errorName(error) == "RuntimeError")
    }
  }
}
