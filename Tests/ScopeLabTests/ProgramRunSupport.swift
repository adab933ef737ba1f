import AsyncScope
import ScopeLab
import TestSupport

/// What one run of a program produced.
struct RunRecord {
  let outcome: RunOutcome
  let events: [TraceEvent]

  /// The text lines the trace would show, without times: "enter timeout#1", "  done".
  var lines: [String] {
    let formatter = TraceLineFormatter()
    return events.map { event in
      let line = formatter.line(for: event)
      return String(line.drop(while: { $0 == " " }).drop(while: { $0 != " " }).dropFirst(2))
    }
  }

  /// The print statements' texts, in order.
  var printed: [String] {
    events.compactMap { event in
      if case .print(let text) = event.kind { return text }
      return nil
    }
  }

  func time(of predicate: (TraceEvent.Kind) -> Bool) -> Double? {
    events.first { predicate($0.kind) }?.time.inSeconds
  }
}

/// Parses, checks and runs `source` on the continuous clock with the given settings.
func runProgram(_ source: String, set settings: [String: String] = [:]) async throws -> RunRecord {
  var parameters = Parameters.builtIn
  for (name, value) in settings { try parameters.set(name, to: value) }
  let program = try Program(parsing: source)
  try program.validate(parameters: parameters.values)
  let recorder = TraceRecorder()
  let run = ProgramRun(
    evaluator: ProgramEvaluator(parameters: parameters, clock: ContinuousClock()))
  let outcome = await run.run(program, sink: recorder)
  return RunRecord(outcome: outcome, events: recorder.events)
}

/// Parses, checks and runs `source` on `clock` with the given settings while `drive` moves
/// it; `drive` is given the run's trace so far, to wait for what the run did before it
/// moves the clock again.
func runProgram(
  _ source: String, on clock: ManualClock, set settings: [String: String] = [:],
  advancing drive: @escaping @Sendable (TraceRecorder) async throws -> Void
) async throws -> RunRecord {
  var parameters = Parameters.builtIn
  for (name, value) in settings { try parameters.set(name, to: value) }
  let program = try Program(parsing: source)
  try program.validate(parameters: parameters.values)
  let recorder = TraceRecorder()
  let run = ProgramRun(evaluator: ProgramEvaluator(parameters: parameters, clock: clock))
  let driver = Task { try await drive(recorder) }
  let outcome = await run.run(program, sink: recorder)
  driver.cancel()  // a driver still waiting: the run did not sleep where it expected
  try await driver.value
  return RunRecord(outcome: outcome, events: recorder.events)
}

extension TraceRecorder {
  /// Waits until the trace has an event of `scope` (a scope's id: `task#2`) that
  /// `matches`: what a run did once the clock moved. No time is measured but a hang's.
  func waitFor(_ scope: String, _ matches: @escaping (TraceEvent.Kind) -> Bool) async throws {
    _ = try await eventually(every: 0.001, "no such event of \(scope): \(events)") {
      events.contains { $0.scope?.id == scope && matches($0.kind) } ? true : nil
    }
  }
}
