public import AsyncScope

/// One run of a program: traced from its first enter to its `result` line.
public struct ProgramRun<C: Clock>: Sendable where C.Duration == Duration {
  public let evaluator: ProgramEvaluator<C>
  public let controller: RunController

  public init(evaluator: ProgramEvaluator<C>, controller: RunController = RunController()) {
    self.evaluator = evaluator
    self.controller = controller
  }

  /// Runs `program`, reporting every event to `sink`, the outcome last.
  ///
  /// The run executes in a task of its own, so Ctrl-C (``RunController/interrupt()``)
  /// cancels exactly it; an interrupted run is `KeyboardInterrupt`, never `TimeoutError`,
  /// even if a deadline passed during cleanup.
  public func run(_ program: Program, sink: any TraceSink) async -> RunOutcome {
    let tracer = Tracer(sink: sink, clock: evaluator.clock)
    let evaluator = evaluator
    // The controller learns of the run before it starts: a Ctrl-C or SIGTERM that comes
    // as soon as the run prints its first line must find it.
    let handle = TaskHandle<ProgramEvaluator<C>.Flow>()
    controller.begin(
      cancel: { handle.cancel() },
      announce: { signal, count, escalates in
        tracer.emit(.interrupt(signal: signal, count: count, escalates: escalates))
      })
    let task = Task { try await tracer.run { try await evaluator.run(program) } }
    handle.attach(task)
    let result = await withTaskCancellationHandler {
      await task.result
    } onCancel: {
      task.cancel()
    }
    controller.end()
    let outcome = Self.outcome(
      of: result, interrupted: controller.wasInterrupted, signal: controller.stopSignal,
      chain: tracer.chain(of:))
    tracer.emit(Self.resultEvent(outcome))
    return outcome
  }

  /// How the run ended; `chain` tells what the trace knows about an error that ended it
  /// (what it replaced, a note, the failures that lost to it), since the library throws
  /// errors as they are.
  static func outcome(
    of result: Result<ProgramEvaluator<C>.Flow, any Error>,
    interrupted: Bool,
    signal: String? = nil,
    chain: (any Error) -> ErrorChain = ErrorChain.plain
  ) -> RunOutcome {
    switch result {
    case _ where interrupted:
      return .interrupted(signal: signal)
    case .success(.normal):
      return .ok(value: nil)
    case .success(.returned(let value)):
      return .ok(value: value)
    case .failure(let error):
      let chain = chain(error)
      return .failed(
        name: errorName(error),
        context: chain.contextDescription,
        detail: chain.description()
      )
    }
  }

  static func resultEvent(_ outcome: RunOutcome) -> TraceEvent.Kind {
    switch outcome {
    case .ok(let value):
      .result(outcome: "ok", value: value, context: nil, detail: nil)
    case .failed(let name, let context, let detail):
      .result(outcome: name, value: nil, context: context, detail: detail)
    case .interrupted:
      .result(outcome: outcome.name, value: nil, context: nil, detail: nil)
    }
  }
}

extension ProgramRun {
  /// Runs `program` with its trace going live to `sink` and kept for the timeline.
  public func runRecording(
    _ program: Program,
    live sink: any TraceSink
  ) async -> (outcome: RunOutcome, events: [TraceEvent]) {
    let recorder = TraceRecorder()
    let outcome = await run(program, sink: FanOutSink([recorder, sink]))
    return (outcome, recorder.events)
  }
}

extension Program {
  /// Runs this program on `clock`, its trace going live to `sink` and kept for the
  /// timeline: what `run`, `compare` and `verify` do. Their clock is the continuous one,
  /// or a test's that the test moves (``Session/clock``): opened here, so both take the
  /// same path - the timeouts' timers, the sleeps, a process's grace, the trace's times.
  func runRecording(
    parameters: Parameters,
    clock: some Clock<Duration>,
    controller: RunController = RunController(),
    live sink: any TraceSink
  ) async -> (outcome: RunOutcome, events: [TraceEvent]) {
    let evaluator = ProgramEvaluator(parameters: parameters, clock: clock)
    return await ProgramRun(evaluator: evaluator, controller: controller)
      .runRecording(self, live: sink)
  }

  /// Parses `source` and checks it against `parameters` before anything runs; the
  /// error, if any, carries its source line for the caret rendering.
  public init(parsing source: String, checkedAgainst parameters: Parameters) throws(ProgramError) {
    do {
      self = try Program(parsing: source)
      try validate(parameters: parameters.values)
    } catch {
      throw error.withSource(source)
    }
  }
}

/// The run's task, cancellable before it exists: a cancel that comes first is passed on
/// as soon as the task is attached.
final class TaskHandle<Success: Sendable>: Sendable {
  private let state = Locked<(task: Task<Success, any Error>?, cancelled: Bool)>((nil, false))

  func attach(_ task: Task<Success, any Error>) {
    let cancelled = state.withLock { state in
      state.task = task
      return state.cancelled
    }
    if cancelled { task.cancel() }
  }

  func cancel() {
    let task = state.withLock { state in
      state.cancelled = true
      return state.task
    }
    task?.cancel()
  }
}
