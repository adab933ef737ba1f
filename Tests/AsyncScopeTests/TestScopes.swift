import AsyncScope
import Synchronization
import Testing

/// A shared, ordered log of what scopes did, for checking order (LIFO) and counts.
final class CallLog: Sendable {
  private let entries = Mutex<[String]>([])

  func add(_ entry: String) {
    entries.withLock { $0.append(entry) }
  }

  var all: [String] { entries.withLock { $0 } }
}

/// A scope that logs its enter and exit (with what exit received) and can misbehave.
final class LoggingScope: AsyncScope, TraceNamed {
  let traceName: String
  let log: CallLog
  let failEnter: Bool
  let suppress: Bool
  let exitError: (any Error & Sendable)?

  init(
    _ name: String,
    log: CallLog,
    failEnter: Bool = false,
    suppress: Bool = false,
    exitError: (any Error & Sendable)? = nil
  ) {
    self.traceName = name
    self.log = log
    self.failEnter = failEnter
    self.suppress = suppress
    self.exitError = exitError
  }

  func enter() async throws {
    log.add("enter \(traceName)")
    if failEnter { throw NamedError("EnterError") }
  }

  func exit(_ context: ExitContext<Void>) async throws -> ExitDecision {
    log.add("exit \(traceName) \(context.error.map(errorName) ?? "nil")")
    if let exitError { throw exitError }
    return suppress ? .suppress : .propagate
  }
}

/// A scope whose exit keeps what it was told and answers with a given decision.
final class DecidingScope: AsyncScope, TraceNamed {
  let traceName: String
  let decision: ExitDecision
  private let seen = Mutex<[ExitContext<Void>]>([])

  init(_ name: String = "D", decision: ExitDecision = .propagate) {
    self.traceName = name
    self.decision = decision
  }

  /// Every context exit received: the error's name, or "nil", and whether the caller
  /// was cancelled.
  var contexts: [String] {
    seen.withLock { contexts in
      contexts.map { "\($0.error.map(errorName) ?? "nil") cancelled=\($0.callerCancelled)" }
    }
  }

  func enter() async throws {}

  func exit(_ context: ExitContext<Void>) async throws -> ExitDecision {
    seen.withLock { $0.append(context) }
    return decision
  }
}

/// A flag set once, read from anywhere.
final class Flag: Sendable {
  private let value = Atomic<Bool>(false)

  func set() { value.store(true, ordering: .relaxed) }

  var isSet: Bool { value.load(ordering: .relaxed) }
}

/// Sleeps on the continuous clock; the body of most real-time tests.
func sleep(_ seconds: Double) async throws {
  try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
}

/// Seconds elapsed since `start` on the continuous clock.
func secondsSince(_ start: ContinuousClock.Instant) -> Double {
  start.duration(to: .now).inSeconds
}

/// Yields until `condition` holds; fails after 10 s of real time (only a real bug hangs).
func waitUntil(_ condition: () -> Bool) async throws {
  let start = ContinuousClock.now
  while !condition() {
    if secondsSince(start) > 10 {
      Issue.record("condition not met within 10 s")
      throw CancellationError()
    }
    try await Task.sleep(for: .milliseconds(1))
  }
}

/// An error the trace names by `name`, as the interpreter's `throw KeyError` is named.
struct NamedError: SelfNamedError, Hashable, CustomStringConvertible {
  let name: String

  init(_ name: String) {
    self.name = name
  }

  var description: String { name }
}

/// Runs `operation` in a traced run and returns the error that ended it with what the
/// run's trace knows about it (what it replaced, a note, the failures that lost to it).
/// The library throws its errors as they are; that account is kept beside them.
func failureInTracedRun(
  _ operation: @escaping @Sendable () async throws -> Void
) async -> (error: any Error, chain: ErrorChain)? {
  let tracer = Tracer(sink: TraceRecorder(), clock: ContinuousClock())
  do {
    try await tracer.run(operation)
    return nil
  } catch {
    return (error, tracer.chain(of: error))
  }
}
