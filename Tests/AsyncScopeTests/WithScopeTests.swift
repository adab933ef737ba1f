import AsyncScope
import Testing

// MARK: - W1 enter fails

@Suite("W: every scope")
struct WithScopeTests {
  @Test("W1: a failed enter runs neither body nor exit, and its error propagates unchanged")
  func enterFails() async throws {
    let log = CallLog()
    await #expect(throws: NamedError("EnterError")) {
      _ = try await withScope(LoggingScope("A", log: log, failEnter: true)) {
        log.add("body")
      }
    }
    #expect(log.all == ["enter A"])
  }

  @Test("W1: a demo scope whose enter fails leaves no exit behind")
  func demoEnterFails() async throws {
    let scope = DemoScope("A", options: .init(failEnter: true))
    await #expect(throws: NamedError("EnterError")) {
      _ = try await withScope(scope) {}
    }
    #expect(scope.exitsSeen.isEmpty)
  }

  // MARK: - W2 exit runs exactly once

  @Test("W2: exit runs once after a normal end, and the body's value is returned")
  func exitAfterNormalEnd() async throws {
    let log = CallLog()
    let value = try await withScope(LoggingScope("A", log: log)) { 42 }
    #expect(value == 42)
    #expect(log.all == ["enter A", "exit A nil"])
  }

  @Test("W2: exit runs once after a thrown error, which then propagates")
  func exitAfterError() async throws {
    let log = CallLog()
    await #expect(throws: NamedError("KeyError")) {
      _ = try await withScope(LoggingScope("A", log: log)) { throw NamedError("KeyError") }
    }
    #expect(log.all == ["enter A", "exit A KeyError"])
  }

  @Test("W2: exit runs once after cancellation")
  func exitAfterCancellation() async throws {
    let log = CallLog()
    let task = Task {
      try await withScope(LoggingScope("A", log: log)) { try await sleep(10) }
    }
    try await sleep(0.05)
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(log.all == ["enter A", "exit A CancellationError"])
  }

  @Test("W2: nested scopes exit in reverse order; `a, b` is `a { b }`")
  func lifo() async throws {
    let log = CallLog()
    _ = try await withScope(LoggingScope("A", log: log), LoggingScope("B", log: log)) { _, _ in
      log.add("body")
    }
    #expect(log.all == ["enter A", "enter B", "body", "exit B nil", "exit A nil"])
  }

  // MARK: - W3 what exit sees

  @Test("W3: exit may suppress an ordinary error; the caller goes on with nil")
  func suppress() async throws {
    let log = CallLog()
    let result: Int? = try await withScope(LoggingScope("A", log: log, suppress: true)) {
      throw NamedError("KeyError")
    }
    #expect(result == nil)
    #expect(log.all == ["enter A", "exit A KeyError"])
  }

  @Test("W3: a request to suppress on success is ignored")
  func suppressOnSuccess() async throws {
    let log = CallLog()
    let result = try await withScope(LoggingScope("A", log: log, suppress: true)) { 7 }
    #expect(result == 7)
  }

  @Test("W3: an error thrown by exit replaces the one in flight, keeping it as context")
  func exitReplaces() async throws {
    let log = CallLog()
    do {
      _ = try await withScope(
        LoggingScope("A", log: log, exitError: NamedError("ExitError"))
      ) { throw NamedError("KeyError") }
      Issue.record("expected an error")
    } catch {
      #expect(errorName(error) == "ExitError")
      #expect(errorContextName(error) == "KeyError")
      #expect(describeError(error) == "ExitError during handling of KeyError")
    }
  }

  @Test("W3: an inner exit that suppresses makes the outer exit see nil")
  func innerSuppressOuterSeesNil() async throws {
    let log = CallLog()
    _ = try await withScope(LoggingScope("outer", log: log)) {
      _ = try await withScope(LoggingScope("inner", log: log, suppress: true)) {
        throw NamedError("KeyError")
      }
      log.add("after inner")
    }
    #expect(
      log.all == [
        "enter outer", "enter inner", "exit inner KeyError", "after inner",
        "exit outer nil",
      ])
  }

  @Test("W3: an inner exit that throws makes the outer exit see the new error")
  func innerThrowOuterSeesNew() async throws {
    let log = CallLog()
    await #expect(throws: (any Error).self) {
      _ = try await withScope(LoggingScope("outer", log: log)) {
        _ = try await withScope(
          LoggingScope("inner", log: log, exitError: NamedError("ExitError"))
        ) { throw NamedError("KeyError") }
      }
    }
    #expect(log.all.last == "exit outer ExitError")
  }

  // MARK: - W4 cancellation is sticky

  @Test("W4: a scope cannot suppress a cancellation it did not cause")
  func cannotSuppressCancellation() async throws {
    let log = CallLog()
    let task = Task {
      _ = try await withScope(LoggingScope("A", log: log, suppress: true)) {
        try await sleep(10)
      }
      log.add("after scope")
    }
    try await sleep(0.05)
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(!log.all.contains("after scope"))
  }

  // MARK: - W5 cleanup survives cancellation

  @Test("W5: an exit that awaits still completes when the task was cancelled")
  func cleanupSurvivesCancellation() async throws {
    let scope = DemoScope("A", options: .init(slowExit: .milliseconds(100)))
    let task = Task { try await withScope(scope) { try await sleep(10) } }
    try await sleep(0.05)
    let start = ContinuousClock.now
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    // The exit's 100 ms sleep really ran instead of throwing at once.
    #expect(secondsSince(start) >= 0.09)
    #expect(scope.exitsSeen == ["CancellationError"])
  }

  // MARK: - W6 single use

  @Test("W6: entering a scope value twice fails the second enter", arguments: ["runner", "demo"])
  func singleUse(kind: String) async throws {
    let scope: any AsyncScope = kind == "runner" ? Runner() : DemoScope("A")
    try await enterTwice(scope)
  }

  private func enterTwice<S: AsyncScope>(_ scope: S) async throws {
    _ = try await withScope(scope) { _ in }
    do {
      _ = try await withScope(scope) { _ in }
      Issue.record("second enter succeeded")
    } catch {
      #expect(errorName(error) == "RuntimeError")
      #expect(describeError(error).contains("already been entered"))
    }
  }

  @Test("W6: a Timeout entered twice fails with asyncio's message")
  func timeoutSingleUse() async throws {
    let timeout = Timeout(.seconds(5))
    _ = try await withScope(timeout) {}
    await #expect(throws: ScopeUsageError("Timeout has already been entered")) {
      _ = try await withScope(timeout) {}
    }
  }
}
