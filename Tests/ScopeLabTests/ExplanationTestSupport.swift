import AsyncScope
import Testing

@testable import ScopeLab

/// Runs `source` for real and explains its outcome from the trace.
func explainRun(_ source: String, set settings: [String: String] = [:]) async throws
  -> (record: RunRecord, explanation: Explanation)
{
  let record = try await runProgram(source, set: settings)
  return (record, OutcomeExplanation.explain(record.events))
}

/// Runs `source`; `after` later, `act` does to the controller what a key or signal would.
func runInterrupted(
  _ source: String, after delay: Duration, _ act: @escaping @Sendable (RunController) -> Void
) async throws -> RunRecord {
  let controller = RunController()
  let recorder = TraceRecorder()
  let program = try Program(parsing: source)
  let run = ProgramRun(
    evaluator: ProgramEvaluator(parameters: .builtIn, clock: ContinuousClock()),
    controller: controller)
  let presser = Task {
    try await Task.sleep(for: delay)
    act(controller)
  }
  let outcome = await run.run(program, sink: recorder)
  try await presser.value
  return RunRecord(outcome: outcome, events: recorder.events)
}

extension Explanation {
  /// The summary and every line, for checks that do not care which line says it.
  var allText: String { ([summary] + lines).joined(separator: "\n") }
}
