import AsyncScope
import Clocks
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

/// Runs `source` on a test clock: once the run has entered its first scope and its sleeps
/// are waiting, the clock moves by `advance`, exactly.
func runOnTestClock(_ source: String, advance: Duration) async throws -> RunRecord {
  let clock = TestClock()
  let recorder = TraceRecorder()
  let program = try Program(parsing: source)
  let run = ProgramRun(evaluator: ProgramEvaluator(parameters: .builtIn, clock: clock))
  let task = Task { await run.run(program, sink: recorder) }
  let start = ContinuousClock.now
  while !recorder.events.contains(where: { $0.kind == .enter }) {
    #expect(ContinuousClock.now - start < .seconds(10), "the run never entered a scope")
    try await Task.sleep(for: .milliseconds(1))
  }
  // Let the deadline's timer and the body's sleep reach the clock before it moves.
  try await Task.sleep(for: .milliseconds(100))
  await clock.advance(by: advance)
  let outcome = await task.value
  return RunRecord(outcome: outcome, events: recorder.events)
}

extension Explanation {
  /// The summary and every line, for checks that do not care which line says it.
  var allText: String { ([summary] + lines).joined(separator: "\n") }
}
