import AsyncScope

/// `scopelab compare PROGRAM [--set NAME=VALUE]... [--python PATH]`, and the REPL's
/// `compare`: runs the program in scopelab and its traced Python view under CPython,
/// and shows the two traces side by side.
///
/// The two runs go on at the same time. Ctrl-C (or a stop signal) given to the controller
/// stops both: the scopelab run is cancelled as by `run`, then the Python run is stopped
/// and its process group killed (``PythonRunner``); after the scopelab run has ended, it
/// stops the Python run. What both traced until then is shown, no verdict, and the status
/// is 130 (128 + the stop signal).
public struct CompareCommandCore: Sendable {
  public var source: String
  public var settings: [String]
  /// The parameters `settings` are applied to (the REPL's current ones).
  public var parameters: Parameters
  /// `--python PATH`; `python3` on PATH by default.
  public var python: String?
  /// How long the Python run may take.
  public var timeout: Duration
  /// The columns the side-by-side table takes: the terminal's, 80 in a pipe.
  public var width = 80
  /// The clock scopelab's run of the program is on (Python's is its own): the continuous
  /// clock, or a test's that the test moves.
  public var clock: any Clock<Duration> = ContinuousClock()

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

  /// 0 the traces agree, 1 they differ, 2 invalid input or no usable Python, 130 (128 + the
  /// stop signal) interrupted.
  public func run(
    output: any TextOutput,
    errors: any TextOutput,
    controller: RunController = RunController()
  ) async -> Int32 {
    var parameters = parameters
    let applied = parameters.apply(settings: settings)
    if let problem = applied.problem {
      errors.write("error: \(problem.controlCharactersEscapedButLineBreaks)\n")
      return 2
    }
    for note in applied.notes { errors.write("note: \(note)\n") }
    let program: Program
    do {
      program = try Program(parsing: source, checkedAgainst: parameters)
    } catch {
      errors.write(error.rendered + "\n")
      return 2
    }
    // Python's own teardown of the program's processes takes up to `grace`: give it that
    // and a little more after a SIGINT before its process group is killed.
    let runner = PythonRunner(
      interpreter: python ?? "python3", timeout: timeout,
      stopGrace: parameters.grace + .seconds(2))
    if let status = await runner.refuseUnusable(
      controller: controller, errors: errors,
      interrupted:
        "compare interrupted while checking \(runner.interpreter.controlCharactersEscaped)")
    {
      return status
    }
    // CPython's start-up is most of a compare's time: Python runs its view while scopelab
    // runs the program. Each traces on its own clock, and only the events' order is
    // compared. Not a child task: cancelling it is how Python is stopped, below.
    let script = PythonView.render(program, parameters: parameters, traced: true)
    let python = Task { try await runner.run(script: script) }
    let (_, events) = await program.runRecording(
      parameters: parameters, clock: clock, controller: controller, live: DiscardingSink())
    let ours = events.compactMap { try? FlatJSON.parseObject(JSONLTraceSink.encode($0)) }
      .map(CompareRow.init)
    if controller.wasInterrupted {
      python.cancel()
      // Still the same run for Ctrl-C: a second press cuts Python's grace short (its
      // teardown escalates), a third quits.
      let finished = try? await Self.cancellable(by: controller, resuming: true) {
        try await python.value
      }.get()
      let comparison = TraceComparison(scopelab: ours, python: finished?.rows ?? [])
      let cause = Self.cause(controller.stopSignal)
      let stopped = finished?.stopped == .interrupted ? " and the Python run" : ""
      output.write(
        comparison.render(
          notes: ["interrupted: \(cause) stopped the scopelab run\(stopped)"],
          verdict: false, width: width))
      return RunOutcome.interrupted(signal: controller.stopSignal).exitStatus
    }
    let ran = await Self.cancellable(by: controller) {
      try await withTaskCancellationHandler {
        try await python.value
      } onCancel: {
        python.cancel()
      }
    }
    let finished: PythonRunner.Finished
    switch ran {
    case .success(let value): finished = value
    case .failure(let error):
      let message = "could not run \(runner.interpreter): \(error)"
      errors.write("error: \(message.controlCharactersEscapedButLineBreaks)\n")
      return 2
    }
    let theirs = finished.rows
    if finished.stopped == .interrupted || controller.wasInterrupted {
      let comparison = TraceComparison(scopelab: ours, python: theirs)
      let cause = Self.cause(controller.stopSignal)
      let how = finished.killed ? "killed" : "stopped"
      output.write(
        comparison.render(
          notes: ["interrupted: \(cause) \(how) the Python run"], verdict: false, width: width))
      return RunOutcome.interrupted(signal: controller.stopSignal).exitStatus
    }
    let (differences, explainAll) = KnownDifference.explaining(
      scopelab: ours, python: theirs, program: program, parameters: parameters)
    let comparison = TraceComparison(
      scopelab: ours, python: theirs, differences: differences, explainAll: explainAll)
    let note = finished.note(timeout: timeout, traced: theirs)
    output.write(comparison.render(notes: note.map { [$0] } ?? [], width: width))
    return comparison.firstDifference == nil ? 0 : 1
  }

  /// `Ctrl-C`, or the stop signal's name.
  private static func cause(_ stopSignal: String?) -> String {
    stopSignal ?? "Ctrl-C"
  }

  /// Runs `body` in a task of its own that a Ctrl-C or stop signal given to `controller`
  /// cancels, as a program run is. `resuming`: it goes on with the run the controller
  /// had, counting on from its presses (``RunController/resume(cancel:)``).
  static func cancellable<T: Sendable>(
    by controller: RunController, resuming: Bool = false,
    _ body: @escaping @Sendable () async throws -> T
  ) async -> Result<T, any Error> {
    let handle = TaskHandle<T>()
    if resuming {
      controller.resume(cancel: { handle.cancel() })
    } else {
      controller.begin(cancel: { handle.cancel() })
    }
    let task = Task { try await body() }
    handle.attach(task)
    let result = await withTaskCancellationHandler {
      await task.result
    } onCancel: {
      task.cancel()
    }
    controller.end()
    return result
  }
}

extension PythonRunner.Finished {
  /// The traced events it printed, one JSON object a line.
  var rows: [CompareRow] {
    output.split(separator: "\n").compactMap { try? FlatJSON.parseObject(String($0)) }
      .map(CompareRow.init)
  }

  /// What went wrong with the Python run, if anything: it timed out, or it ended before
  /// its trace's `result` line (with the last line of its traceback).
  func note(timeout: Duration, traced rows: [CompareRow]) -> String? {
    if stopped == .timedOut {
      let how = killed ? "killed (SIGKILL) after SIGINT did not stop it" : "stopped with SIGINT"
      return "python: did not finish within \(PythonRunner.seconds(timeout)): \(how)"
    }
    guard rows.last?.name != "result" else { return nil }
    let ending =
      signal.map { "was killed by signal \($0)" }
      ?? "exited with status \(status.map(String.init) ?? "?")"
    return "python: \(ending) before the end of the program"
      + (lastErrorLine.map { ": \($0)" } ?? "")
  }
}

/// A sink that drops every event: `compare` keeps the recorded ones.
private struct DiscardingSink: TraceSink {
  func record(_ event: TraceEvent) {}
}

extension PythonRunner {
  /// Checks this interpreter before a command runs it (``checkVersion()``), cancellable by
  /// `controller`: nil when it is usable, else the command's exit status - 2 after one line
  /// on `errors` ("no usable Python: tried ..."), or the interrupted status after the
  /// `interrupted` line, if any, when Ctrl-C or a stop signal came first.
  func refuseUnusable(
    controller: RunController, errors: any TextOutput, interrupted: String? = nil
  ) async -> Int32? {
    let checked = await CompareCommandCore.cancellable(by: controller) {
      try await checkVersion()
    }
    if controller.wasInterrupted {
      if let interrupted { errors.write("error: \(interrupted)\n") }
      return RunOutcome.interrupted(signal: controller.stopSignal).exitStatus
    }
    if case .failure(let error) = checked {
      let reason = (error as? Unusable)?.reason ?? "\(interpreter) (\(error))"
      errors.write(
        "error: no usable Python: tried \(reason.controlCharactersEscapedButLineBreaks)\n")
      return 2
    }
    return nil
  }
}
