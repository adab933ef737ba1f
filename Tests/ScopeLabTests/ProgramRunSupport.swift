import AsyncScope
import ScopeLab

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
