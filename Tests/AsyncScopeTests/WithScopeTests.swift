import AsyncScope
import Testing

// MARK: - W1 enter fails

@Suite("W: every scope")
struct WithScopeTests {
  @Test("W1: a failed enter runs neither body nor exit, and its error propagates unchanged")
  func enterFails() async throws {
    let log = CallLog()
    await #expect(throws: NamedError("EnterError")) {
      try await withScope(LoggingScope("A", log: log, failEnter: true)) {
        log.add("body")
      }
    }
    #expect(log.all == ["enter A"])
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
      try await withScope(LoggingScope("A", log: log)) { throw NamedError("KeyError") }
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

  @Test("W2: nested scopes exit in reverse order")
  func lifo() async throws {
    let log = CallLog()
    try await withScope(LoggingScope("A", log: log)) {
      try await withScope(LoggingScope("B", log: log)) {
        log.add("body")
      }
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

  @Test("W3: an error thrown by exit replaces the one in flight: `catch is ExitError`")
  func exitReplaces() async throws {
    struct ExitError: Error {}
    struct KeyError: Error {}
    let log = CallLog()
    var caught = false
    do {
      try await withScope(LoggingScope("A", log: log, exitError: ExitError())) {
        throw KeyError()
      }
      Issue.record("expected an error")
    } catch is ExitError {
      caught = true
    }
    #expect(caught)
    #expect(log.all == ["enter A", "exit A KeyError"])
  }

  @Test("W3: a traced run keeps the replaced error beside exit's, as its context")
  func exitReplacesTraced() async throws {
    let failure = await failureInTracedRun {
      try await withScope(LoggingScope("A", log: CallLog(), exitError: NamedError("ExitError"))) {
        throw NamedError("KeyError")
      }
    }
    let (error, chain) = try #require(failure)
    #expect(error as? NamedError == NamedError("ExitError"))
    #expect(chain.contextDescription == "KeyError")
    #expect(chain.description() == "ExitError during handling of KeyError")
  }

  @Test("W3: the replaced error's own account goes with it, through outer scopes")
  func exitReplacesTwice() async throws {
    let failure = await failureInTracedRun {
      try await withScope(LoggingScope("outer", log: CallLog(), exitError: NamedError("E2"))) {
        try await withScope(LoggingScope("pass", log: CallLog())) {
          try await withScope(LoggingScope("inner", log: CallLog(), exitError: NamedError("E1"))) {
            throw NamedError("KeyError")
          }
        }
      }
    }
    let (error, chain) = try #require(failure)
    #expect(error as? NamedError == NamedError("E2"))
    #expect(chain.description() == "E2 during handling of E1 during handling of KeyError")
    #expect(chain.contextDescription == "E1 during handling of KeyError")
  }

  @Test("W3: an error the body caught is forgotten: a later one of another name is plain")
  func caughtErrorIsNotContext() async throws {
    let failure = await failureInTracedRun {
      do {
        try await withScope(LoggingScope("A", log: CallLog(), exitError: NamedError("ExitError"))) {
          throw NamedError("KeyError")
        }
      } catch {}
      throw NamedError("ValueError")
    }
    let (_, chain) = try #require(failure)
    #expect(chain.description() == "ValueError")
    #expect(chain.contextDescription == nil)
  }

  @Test("W3: an inner exit that suppresses makes the outer exit see nil")
  func innerSuppressOuterSeesNil() async throws {
    let log = CallLog()
    try await withScope(LoggingScope("outer", log: log)) {
      try await withScope(LoggingScope("inner", log: log, suppress: true)) {
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
      try await withScope(LoggingScope("outer", log: log)) {
        try await withScope(
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
      try await withScope(LoggingScope("A", log: log, suppress: true)) {
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

  // MARK: - ExitContext and ExitDecision

  @Test(
    "ExitContext: exit is told the caller is cancelled after a body that returned normally",
    arguments: [false, true])
  func callerCancelledAfterNormalEnd(traced: Bool) async throws {
    let scope = DecidingScope()
    let started = Flag()
    let task = Task {
      try await run(traced: traced) {
        try await withScope(scope) {
          started.set()
          // Never throws its cancellation: waits until it comes, then returns.
          while !Task.isCancelled { await Task.yield() }
        }
      }
    }
    try await waitUntil { started.isSet }
    task.cancel()
    _ = try await task.value
    #expect(scope.contexts == ["nil cancelled=true"])
  }

  @Test("ExitContext: the body's error or nil, an uncancelled caller", arguments: [false, true])
  func contextOfAnUncancelledCaller(traced: Bool) async throws {
    let normal = DecidingScope()
    let failed = DecidingScope()
    try await run(traced: traced) {
      try await withScope(normal) {}
      _ = try? await withScope(failed) { throw NamedError("KeyError") }
    }
    #expect(normal.contexts == ["nil cancelled=false"])
    #expect(failed.contexts == ["KeyError cancelled=false"])
  }

  @Test(".convert replaces the body's error and keeps nothing of it; throwing keeps it")
  func convertVersusThrow() async throws {
    let recorder = TraceRecorder()
    let converting = DecidingScope("C", decision: .convert(to: NamedError("ValueError")))
    let throwing = LoggingScope("T", log: CallLog(), exitError: NamedError("ValueError"))
    let tracer = Tracer(sink: recorder, clock: ContinuousClock())
    let converted = try #require(
      await caught {
        try await tracer.run { try await withScope(converting) { throw NamedError("KeyError") } }
      })
    #expect(converted as? NamedError == NamedError("ValueError"))
    #expect(tracer.chain(of: converted).contextDescription == nil)
    let raised = try #require(
      await caught {
        try await tracer.run { try await withScope(throwing) { throw NamedError("KeyError") } }
      })
    #expect(raised as? NamedError == NamedError("ValueError"))
    #expect(tracer.chain(of: raised).description() == "ValueError during handling of KeyError")
    #expect(tracer.chain(of: raised).contextDescription == "KeyError")
    // A scope's own conversion is told as its exit's (`.converted` is the library
    // Timeout's, which converts only its own deadline's cancellation: TO3).
    #expect(
      recorder.events.filter { $0.kind.name == "exit-done" }.map(\.kind) == [
        .exitDone(error: "ValueError", step: .exitConverted(replacing: "KeyError")),
        .exitDone(error: "ValueError", step: .raised(replacing: "KeyError")),
      ])
  }

  @Test(
    ".convert after a normal end throws the new error, as raising does", arguments: [false, true])
  func convertAfterNormalEnd(traced: Bool) async throws {
    let recorder = TraceRecorder()
    let scope = DecidingScope(decision: .convert(to: NamedError("ValueError")))
    await #expect(throws: NamedError("ValueError")) {
      try await run(traced: traced, recorder: recorder) {
        try await withScope(scope) { () -> Int in 1 }
      }
    }
    if traced {
      #expect(
        recorder.events.map(\.kind) == [
          .enter, .exit(error: nil, expired: nil),
          .exitDone(error: "ValueError", step: .raised(replacing: nil)),
        ])
    }
  }

  @Test("W4: a suppress of a cancellation is refused, even one the body threw itself")
  func suppressOfCancellationRefused() async throws {
    let recorder = TraceRecorder()
    let scope = DecidingScope(decision: .suppress)
    await #expect(throws: CancellationError.self) {
      try await run(traced: true, recorder: recorder) {
        try await withScope(scope) { throw CancellationError() }
      }
    }
    #expect(
      recorder.events.map(\.kind) == [
        .enter, .exit(error: "CancellationError", expired: nil),
        .exitDone(error: "CancellationError", step: .suppressRefused),
      ])
  }

  @Test("A synchronous scope decides the same way: convert keeps nothing, suppress drops")
  func syncScopeDecisions() throws {
    #expect(throws: NamedError("ValueError")) {
      try withSyncScope(DecidingSyncScope(.convert(to: NamedError("ValueError")))) {
        throw NamedError("KeyError")
      }
    }
    let suppressed: Int? = try withSyncScope(DecidingSyncScope(.suppress)) {
      throw NamedError("KeyError")
    }
    #expect(suppressed == nil)
    #expect(try withSyncScope(DecidingSyncScope(.suppress)) { 3 } == 3)
  }

  @Test("A synchronous scope's exit error replaces the body's as itself; the trace keeps it")
  func syncScopeExitReplaces() async throws {
    struct ExitError: Error {}
    var caught = false
    do {
      try withSyncScope(ThrowingSyncScope(ExitError())) { throw NamedError("KeyError") }
    } catch is ExitError {
      caught = true
    }
    #expect(caught)
    let failure = await failureInTracedRun {
      try withSyncScope(ThrowingSyncScope(NamedError("ExitError"))) {
        throw NamedError("KeyError")
      }
    }
    let (error, chain) = try #require(failure)
    #expect(error as? NamedError == NamedError("ExitError"))
    #expect(chain.description() == "ExitError during handling of KeyError")
  }

  /// The error `operation` throws, if any.
  private func caught(_ operation: () async throws -> Void) async -> (any Error)? {
    do {
      try await operation()
      return nil
    } catch {
      return error
    }
  }

  /// Runs `body` inside a tracer if `traced`, reporting to `recorder`.
  private func run(
    traced: Bool, recorder: TraceRecorder = TraceRecorder(),
    _ body: @Sendable () async throws -> Void
  ) async throws {
    guard traced else { return try await body() }
    try await Tracer(sink: recorder, clock: ContinuousClock()).run { try await body() }
  }

  // MARK: - W6 single use

  @Test("W6: entering a scope value twice fails the second enter")
  func singleUse() async throws {
    try await enterTwice(Runner())
  }

  private func enterTwice<S: AsyncScope>(_ scope: S) async throws {
    try await withScope(scope) { _ in }
    do {
      try await withScope(scope) { _ in }
      Issue.record("second enter succeeded")
    } catch {
      #expect(errorName(error) == "RuntimeError")
      #expect(describeError(error).contains("already been entered"))
    }
  }

  @Test("W6: a Timeout entered twice fails with asyncio's message")
  func timeoutSingleUse() async throws {
    let timeout = Timeout(.seconds(5))
    try await withScope(timeout) {}
    await #expect(throws: ScopeUsageError("Timeout has already been entered")) {
      try await withScope(timeout) {}
    }
  }
}

/// A synchronous scope whose exit answers with a given decision.
struct DecidingSyncScope: SyncScope {
  let decision: ExitDecision

  init(_ decision: ExitDecision) {
    self.decision = decision
  }

  func enterNow() throws {}

  func exitNow(_ error: (any Error)?) throws -> ExitDecision { decision }
}

/// A synchronous scope whose exit throws `error` (W3).
struct ThrowingSyncScope: SyncScope {
  let error: any Error

  init(_ error: any Error) {
    self.error = error
  }

  func enterNow() throws {}

  func exitNow(_ error: (any Error)?) throws -> ExitDecision { throw self.error }
}
