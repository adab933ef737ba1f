import AsyncScope

/// `scopelab compare PROGRAM [--set NAME=VALUE]... [--python PATH]`, and the REPL's
/// `compare`: runs the program in scopelab and its traced Python view under CPython,
/// and shows the two traces side by side.
public struct CompareCommandCore: Sendable {
  public var source: String
  public var settings: [String]
  /// The parameters `settings` are applied to (the REPL's current ones).
  public var parameters: Parameters
  /// `--python PATH`; `python3` on PATH by default.
  public var python: String?
  /// How long the Python run may take.
  public var timeout: Duration

  public init(
    source: String,
    settings: [String] = [],
    parameters: Parameters = .builtIn,
    python: String? = nil,
    timeout: Duration = .seconds(30)
  ) {
    self.source = source
    self.settings = settings
    self.parameters = parameters
    self.python = python
    self.timeout = timeout
  }

  /// 0 the traces agree, 1 they differ, 2 invalid input or no usable Python.
  public func run(
    output: any TextOutput,
    errors: any TextOutput,
    controller: RunController = RunController()
  ) async -> Int32 {
    var parameters = parameters
    if let problem = parameters.apply(settings: settings) {
      errors.write("error: \(problem)\n")
      return 2
    }
    let program: Program
    do {
      program = try Program(parsing: source, checkedAgainst: parameters)
    } catch {
      errors.write(error.rendered + "\n")
      return 2
    }
    let runner = PythonRunner(interpreter: python ?? "python3", timeout: timeout)
    do {
      try await runner.checkVersion()
    } catch {
      errors.write("error: no usable Python: tried \(error.reason)\n")
      return 2
    }
    let evaluator = ProgramEvaluator(parameters: parameters, clock: ContinuousClock())
    let run = ProgramRun(evaluator: evaluator, controller: controller)
    let (_, events) = await run.runRecording(program, live: DiscardingSink())
    let ours = events.compactMap { try? FlatJSON.parseObject(JSONLTraceSink.encode($0)) }
      .map(CompareRow.init)
    let script = PythonView.render(program, parameters: parameters, traced: true)
    let theirs: [CompareRow]
    var note: String?
    do {
      let finished = try await runner.run(script: script)
      theirs = finished.output.split(separator: "\n").compactMap {
        try? FlatJSON.parseObject(String($0))
      }.map(CompareRow.init)
      if finished.timedOut {
        note = "python: stopped after \(timeout)"
      } else if finished.status != 0 && theirs.last?.name != "result" {
        note = "python: exited with status \(finished.status.map(String.init) ?? "?")"
      }
    } catch {
      errors.write("error: could not run \(runner.interpreter): \(error)\n")
      return 2
    }
    let comparison = TraceComparison(
      scopelab: ours, python: theirs,
      differences: KnownDifference.applying(to: program, python: theirs))
    output.write(comparison.render(note: note))
    return comparison.firstDifference == nil ? 0 : 1
  }
}

/// A sink that drops every event: `compare` keeps the recorded ones.
private struct DiscardingSink: TraceSink {
  func record(_ event: TraceEvent) {}
}
