import AsyncScope
import LineEditor
import PosixThread

#if canImport(Glibc)
  import Glibc
#endif

/// `scopelab trace FILE.py|FILE.swift [--trace-format text|jsonl] [--timeline]
/// [--python PATH] [--perfetto FILE.json [--force]]`, apart from argument parsing and
/// signals: runs real code with every scope in it traced live, in the same events, text
/// trace, JSONL and timeline as `scopelab run`, then the audit line.
///
/// A `.py` file runs under CPython 3.11+ with ``PythonTracer/script``; a `.swift` file is
/// compiled by ``SwiftProgram`` and runs with AsyncScope reporting to it. Exit status as
/// `run`: 0 ok, 1 the program ended with an error, 2 invalid input (no such file, a syntax
/// or compile error - `FILE:LINE: message` - or no usable Python or swiftc), 130
/// Ctrl-C (Python is stopped as ``PythonRunner`` stops a run: SIGINT, so every `async with`
/// exits, then SIGKILL to its process group after a grace period).
public struct TraceCommandCore: Sendable {
  public var file: String
  public var format: TraceFormat
  public var timeline: Bool
  /// The timeline's width in columns.
  public var width: Int
  public var palette: Palette
  /// `--python PATH`; `python3` on PATH by default.
  public var python: String?
  /// After SIGINT (Ctrl-C), how long Python has to end by itself before it is killed.
  public var stopGrace: Duration = .seconds(3)
  /// `--perfetto FILE.json`: also write the run as Chrome trace-event JSON
  /// (``PerfettoTrace``), created before the run starts, as `run` does.
  public var perfetto: String?
  /// `--force`: the `--perfetto` file may replace an existing one.
  public var force = false
  /// Where the run's events are kept as well, for whoever runs it to look at after (the
  /// REPL's `why`, `trace` and `timeline` after a run of real code).
  var recorder: TraceRecorder?
  /// The columns the text trace and the audit are fitted to, as a run's are at a terminal
  /// (the REPL's `run` of real code); `nil`, one line each.
  var traceWidth: Int?

  public init(
    file: String,
    format: TraceFormat = .text,
    timeline: Bool = false,
    width: Int = 80,
    palette: Palette = .plain,
    python: String? = nil
  ) {
    self.file = file
    self.format = format
    self.timeline = timeline
    self.width = width
    self.palette = palette
    self.python = python
  }

  public func run(
    output: any TextOutput,
    errors: any TextOutput,
    controller: RunController = RunController()
  ) async -> Int32 {
    let shown = file.controlCharactersEscaped
    if file.hasSuffix(".py") || file.hasSuffix(".swift") {
      // Read below: under CPython, or compiled with swiftc.
    } else {
      errors.write("error: \(shown): trace runs a .py file (or a .swift file)\n")
      return 2
    }
    guard Self.isReadableFile(file, errors: errors) else { return 2 }
    let (opened, perfettoFile) = PerfettoTrace.openOutput(perfetto, force: force, errors: errors)
    guard opened else { return 2 }
    defer { perfettoFile?.close() }
    if file.hasSuffix(".swift") {
      return await runSwift(
        output: output, errors: errors, controller: controller, perfettoFile: perfettoFile)
    }
    return await runPython(
      output: output, errors: errors, controller: controller, perfettoFile: perfettoFile)
  }

  /// Whether the learner's `file` is a regular file scopelab may read; if not, says so in
  /// one line on `errors` ("no such file", "not a readable file"). For `trace` and `check`.
  static func isReadableFile(_ file: String, errors: any TextOutput) -> Bool {
    let shown = file.controlCharactersEscaped
    guard Syscall.exists(file) else {
      errors.write("error: \(shown): no such file\n")
      return false
    }
    guard Syscall.isReadableRegularFile(file) else {
      errors.write("error: \(shown): not a readable file\n")
      return false
    }
    return true
  }

  /// What runs under the trace: Python's tracer, or a compiled Swift program.
  public enum Language: Sendable {
    case python
    case swift
  }

  private func runPython(
    output: any TextOutput,
    errors: any TextOutput,
    controller: RunController,
    perfettoFile: RegularFile.Output?
  ) async -> Int32 {
    // No time limit: the learner's program runs until it ends or Ctrl-C stops it.
    let runner = PythonRunner(
      interpreter: python ?? "python3", timeout: .seconds(366 * 86_400), stopGrace: stopGrace)
    if let status = await runner.refuseUnusable(controller: controller, errors: errors) {
      return status
    }
    return await runTraced(
      runner: runner, arguments: ["-c", PythonTracer.script, file], language: .python,
      output: output, errors: errors, controller: controller, perfettoFile: perfettoFile)
  }

  /// Runs `runner` with `arguments`, its standard output the tracer's lines: each event
  /// goes live to the trace; then the timeline, the audit and the exit status.
  func runTraced(
    runner: PythonRunner, arguments: [String], language: Language,
    output: any TextOutput,
    errors: any TextOutput,
    controller: RunController,
    perfettoFile: RegularFile.Output?
  ) async -> Int32 {
    let live: any TraceSink =
      switch format {
      case .text:
        {
          var text = TextTraceSink(output: output, palette: palette, width: traceWidth)
          if language == .python { text.cancellationName = "CancelledError" }
          return text
        }()
      case .jsonl: JSONLTraceSink(output: output)
      }
    let recorder = self.recorder ?? TraceRecorder()
    let sink = FanOutSink([recorder, live])
    let state = Locked(TraceState())
    let clock = ContinuousClock()
    let handle = TaskHandle<PythonRunner.Finished>()
    controller.begin(
      cancel: { handle.cancel() },
      announce: { signal, count, escalates in
        // On the tracer's clock: the last event's time, and what passed since it arrived.
        let time = state.withLock { $0.lastTime + (clock.now - $0.lastArrival) }
        sink.record(
          TraceEvent(
            time: time, scope: nil, depth: 0,
            kind: .interrupt(signal: signal, count: count, escalates: escalates),
            task: Tracer.mainTask))
      })
    let task = Task {
      try await runner.run(arguments: arguments) { line in
        Self.take(line, state: state, sink: sink, clock: clock, stopSignal: controller.stopSignal)
      }
    }
    handle.attach(task)
    let result = await withTaskCancellationHandler {
      await task.result
    } onCancel: {
      task.cancel()
    }
    controller.end()
    let finished: PythonRunner.Finished
    switch result {
    case .success(let value): finished = value
    case .failure(let error):
      let reason = PythonRunner.describeSpawnFailure(error, runner.interpreter)
      errors.write(
        "error: could not run \(runner.interpreter.controlCharactersEscaped): \(reason)\n")
      return 2
    }
    let seen = state.withLock { $0 }
    if let (line, message) = seen.syntaxError {
      let place = line > 0 ? "\(file):\(line)" : file
      errors.write("\(place.controlCharactersEscaped): \(message.controlCharactersEscaped)\n")
      return 2
    }
    // What the program left running: killed, and reaped (scopelab adopts its orphans).
    for (pid, _) in seen.alive { Self.kill(pid) }
    let strays = await ProcessOrphans.killAdopted()
    let interrupted = controller.wasInterrupted
    var outcome = seen.outcome
    var unexplained = finished.errors
    if outcome == nil, language == .swift {
      // A compiled program never prints its result: it is told by how the program ended.
      let (kind, rest) = Self.swiftResult(
        finished, seen: seen, interrupted: interrupted, signal: controller.stopSignal)
      let time = state.withLock { $0.lastTime + (clock.now - $0.lastArrival) }
      sink.record(TraceEvent(time: time, scope: nil, depth: 0, kind: kind, task: Tracer.mainTask))
      if case .result(let name, _, _, _) = kind { outcome = name }
      unexplained = rest
    }
    if outcome == nil {
      // Python ended before its result line: killed, or the tracer itself failed.
      let name = interrupted ? RunOutcome.interrupted(signal: controller.stopSignal).name : "Error"
      let ending =
        finished.signal.map { "python was killed by signal \($0)" }
        ?? "python exited with status \(finished.status.map(String.init) ?? "?")"
      let detail =
        interrupted ? nil : ending + (finished.lastErrorLine.map { ": \($0)" } ?? "")
      let time = state.withLock { $0.lastTime + (clock.now - $0.lastArrival) }
      sink.record(
        TraceEvent(
          time: time, scope: nil, depth: 0,
          kind: .result(outcome: name, value: nil, context: nil, detail: detail),
          task: Tracer.mainTask))
      outcome = name
    }
    if !unexplained.isEmpty, seen.outcome == nil || !interrupted {
      errors.write(unexplained.controlCharactersEscapedButLineBreaks)
      if !unexplained.hasSuffix("\n") { errors.write("\n") }
    }
    let events = recorder.events
    let side = format == .jsonl ? errors : output
    if timeline {
      let lines = Timeline(events: events, width: width).render(palette: palette)
      side.write(lines.joined(separator: "\n") + "\n")
    }
    let audit = Self.audit(events, alive: seen.alive, strays: strays)
    side.write(audit.rendered(palette: palette, width: traceWidth) + "\n")
    if let perfettoFile {
      let trace = PerfettoTrace(events: events, title: "scopelab trace " + file)
      guard trace.write(to: perfettoFile, errors: errors) else { return 2 }
    }
    if interrupted {
      return RunOutcome.interrupted(signal: controller.stopSignal).exitStatus
    }
    return outcome == "ok" ? 0 : 1
  }

  /// The audit of a traced Python run: ``RunAudit``'s checks, and what plain asyncio left
  /// behind - each child still running after the program ended, which `trace` killed.
  static func audit(
    _ events: [TraceEvent], alive: [(pid: Int32, command: String)],
    strays: [ProcessOrphans.Stray]
  ) -> AuditReport {
    // The children are gone by now (killed above); what the trace says is what counts.
    let base = RunAudit.audit(events, leftover: { _ in nil })
    let leaked = Set(alive.map(\.pid))
    // A child still running gets its own line below, not "no reaped line" as well.
    var problems = base.problems.filter { problem in
      !alive.contains { problem == "pid \($0.pid) has no reaped line (PR2)" }
    }
    for (pid, command) in alive {
      problems.append(
        "pid \(pid) (\(command.controlCharactersEscaped)) was still running after the program "
          + "ended: killed (PR2)")
    }
    for stray in strays where !leaked.contains(stray.pid) {
      problems.append(
        "pid \(stray.pid) (\(stray.command.controlCharactersEscaped)) outlived the program: "
          + "killed (PR2)")
    }
    return AuditReport(checks: base.checks, problems: problems)
  }

  /// SIGKILL to a child the program left running, and to its process group if it leads
  /// one of its own.
  private static func kill(_ pid: Int32) {
    guard pid > 1 else { return }
    if Syscall.processGroup(of: pid) == pid, pid != Syscall.processGroup() {
      Syscall.kill(-pid, SIGKILL)
    }
    Syscall.kill(pid, SIGKILL)
  }

  /// What the tracer's lines told so far.
  struct TraceState: Sendable {
    var lastTime: Duration = .zero
    var lastArrival = ContinuousClock.now
    var syntaxError: (line: Int, message: String)?
    var alive: [(pid: Int32, command: String)] = []
    var outcome: String?
    var unreadable = 0
    /// A Swift program's last error that left an outermost scope.
    var lastLeft: (name: String, context: String?, detail: String, description: String)?
  }

  /// Takes one line of the tracer: an event goes to the sink at once.
  ///
  /// Python is stopped with SIGINT whatever stopped scopelab, so its outcome is then
  /// `KeyboardInterrupt`; a run stopped by SIGTERM or SIGHUP has that signal as its
  /// outcome, as a `scopelab run` has.
  private static func take(
    _ line: String, state: Locked<TraceState>, sink: any TraceSink, clock: ContinuousClock,
    stopSignal: @autoclosure () -> String?
  ) {
    let decoded: PythonTracer.Line
    do {
      decoded = try PythonTracer.decode(line)
    } catch {
      state.withLock { $0.unreadable += 1 }
      return
    }
    switch decoded {
    case .syntaxError(let line, let message):
      state.withLock { $0.syntaxError = (line, message) }
    case .alive(let pid, let command):
      state.withLock { $0.alive.append((pid, command)) }
    case .errorLeft(let name, let context, let detail, let description):
      state.withLock { $0.lastLeft = (name, context, detail, description) }
    case .event(var event):
      if case .result("KeyboardInterrupt", let value, let context, let detail) = event.kind,
        let signal = stopSignal()
      {
        event.kind = .result(outcome: signal, value: value, context: context, detail: detail)
      }
      state.withLock { state in
        state.lastTime = event.time
        state.lastArrival = clock.now
        if case .result(let outcome, _, _, _) = event.kind { state.outcome = outcome }
      }
      sink.record(event)
    }
  }
}
