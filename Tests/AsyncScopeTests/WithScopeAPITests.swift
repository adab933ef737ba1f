import AsyncScope
import Synchronization
import Testing

/// How `withScope` reads at a call site: what exit is given, what the caller gets back,
/// what the body may capture, how a scope is named in the trace.
@Suite("withScope: the call site")
struct WithScopeAPITests {
  @Test("exit is given what enter produced, whatever way the body ended")
  func exitSeesTheValue() async throws {
    let scope = TokenScope()
    try await withScope(scope) { token in #expect(token == 1) }
    await #expect(throws: NamedError("KeyError")) {
      try await withScope(scope) { _ in throw NamedError("KeyError") }
    }
    #expect(scope.exits == ["1 nil", "2 KeyError"])
  }

  @Test("a value body returns its value; ifSuppressed stands in for a suppressed body's")
  func ifSuppressed() async throws {
    let log = CallLog()
    let value = try await withScope(LoggingScope("A", log: log), ifSuppressed: -1) { 7 }
    #expect(value == 7)
    let fallback = try await withScope(
      LoggingScope("B", log: log, suppress: true), ifSuppressed: -1
    ) {
      () -> Int in throw NamedError("KeyError")
    }
    #expect(fallback == -1)
    // Without one, a suppressed body's value is nil.
    let none = try await withScope(LoggingScope("C", log: log, suppress: true)) {
      () -> Int in throw NamedError("KeyError")
    }
    #expect(none == nil)
    #expect(
      log.all == [
        "enter A", "exit A nil", "enter B", "exit B KeyError", "enter C", "exit C KeyError",
      ])
  }

  @Test("the body runs in the caller's task: it may capture and change non-Sendable state")
  func bodyNeedNotBeSendable() async throws {
    let counter = Counter()
    var local = 0
    try await withScope(TokenScope()) { token in
      counter.count += token
      local += 1
    }
    #expect(counter.count == 1)
    #expect(local == 1)
  }

  @Test("a supervising scope reached through generic code is refused before enter")
  func supervisingScopeInGenericCode() async throws {
    let timeout = Timeout(.seconds(5))
    await #expect(throws: ScopeUsageError.self) { try await enterGenerically(timeout) }
    #expect(timeout.phase == .created)
    // Where its type is known, the same timeout is entered, once.
    try await withScope(timeout) {}
    #expect(timeout.phase == .finished)
  }

  private func enterGenerically<S: AsyncScope>(_ scope: S) async throws {
    try await withScope(scope) { _ in Issue.record("body ran") }
  }

  @Test("a scope that is not TraceNamed is traced by its type's name")
  func traceNameDefault() async throws {
    let recorder = TraceRecorder()
    try await Tracer(sink: recorder, clock: ContinuousClock()).run {
      try await withScope(TokenScope()) { _ in }
      try await withScope(LoggingScope("A", log: CallLog())) {}
    }
    #expect(
      recorder.events.map { $0.scope?.id } == [
        "TokenScope#1", "TokenScope#1", "TokenScope#1", "A#1", "A#1", "A#1",
      ])
  }
}

/// A scope whose enter hands out 1, 2, ... and whose exit logs what it was given.
final class TokenScope: AsyncScope {
  private let state = Mutex((next: 1, exits: [String]()))

  var exits: [String] { state.withLock { $0.exits } }

  func enter() async throws -> Int {
    state.withLock { state in
      defer { state.next += 1 }
      return state.next
    }
  }

  func exit(_ context: ExitContext<Int>) async throws -> ExitDecision {
    let error = context.error.map { "\($0)" } ?? "nil"
    state.withLock { $0.exits.append("\(context.value) \(error)") }
    return .propagate
  }
}

/// Not Sendable: only a body that runs in the caller's task may change it.
final class Counter {
  var count = 0
}
