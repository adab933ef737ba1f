import Testing

@testable import AsyncScope
@testable import ScopeLab

/// The lines `scopelab trace`'s Python tracer prints, decoded into the project's trace
/// events (the end-to-end tests run the tracer itself, on each Python).
@Suite("The Python tracer's lines")
struct PythonTracerTests {
  private func event(_ line: String) throws -> TraceEvent {
    guard case .event(let event) = try PythonTracer.decode(line) else {
      throw DecodeFailure(line: line)
    }
    return event
  }

  private struct DecodeFailure: Error {
    var line: String
  }

  @Test("a timeout's conversion: exit-done with its error and the converted step")
  func converted() throws {
    let decoded = try event(
      #"{"t": 0.25, "event": "exit-done", "scope": "timeout", "id": "timeout#1", "depth": 2, "#
        + #""error": "TimeoutError", "step": "converted", "replacing": "CancelledError"}"#)
    #expect(decoded.time == .milliseconds(250))
    #expect(decoded.scope == ScopeIdentity(name: "timeout", id: "timeout#1", depth: 2))
    #expect(decoded.depth == 2)
    #expect(decoded.kind == .exitDone(error: "TimeoutError", step: .converted))
  }

  @Test("exit with expired, raised with what it replaced, a body finished after its deadline")
  func exitSteps() throws {
    let exit = try event(
      #"{"t": 0.1, "event": "exit", "scope": "timeout", "id": "timeout#1", "depth": 0, "#
        + #""error": "CancelledError", "expired": true}"#)
    #expect(exit.kind == .exit(error: "CancelledError", expired: true))
    let plain = try event(
      #"{"t": 0.1, "event": "exit", "scope": "A", "id": "A#1", "depth": 0, "error": null}"#)
    #expect(plain.kind == .exit(error: nil, expired: nil))
    let raised = try event(
      #"{"t": 1, "event": "exit-done", "scope": "group", "id": "group#1", "depth": 0, "#
        + #""error": "ExceptionGroup", "step": "raised", "replacing": null}"#)
    #expect(raised.kind == .exitDone(error: "ExceptionGroup", step: .raised(replacing: nil)))
    let finished = try event(
      #"{"t": 1, "event": "exit-done", "scope": "timeout", "id": "timeout#2", "depth": 0, "#
        + #""error": null, "step": "finished"}"#)
    #expect(finished.kind == .exitDone(error: nil, step: .bodyFinished))
  }

  @Test("print, output and process events carry no scope, only the body's depth")
  func unscoped() throws {
    let print = try event(#"{"t": 0.5, "event": "print", "depth": 1, "text": "done"}"#)
    #expect(print.scope == nil)
    #expect(print.depth == 1)
    #expect(print.kind == .print(text: "done"))
    let started = try event(
      #"{"t": 0.5, "event": "started", "depth": 0, "pid": 4242, "text": "sleep 1"}"#)
    #expect(started.kind == .started(pid: 4242, command: "sleep 1"))
    let status = try event(
      #"{"t": 0.5, "event": "status", "depth": 0, "pid": 4242, "status": "signaled(15)"}"#)
    #expect(status.kind == .status(pid: 4242, status: "signaled(15)"))
    let output = try event(
      #"{"t": 0.5, "event": "output", "depth": 0, "text": "hi", "stream": "stdout"}"#)
    #expect(output.kind == .output(text: "hi", stream: .stdout))
  }

  @Test("the result keeps its detail for the => line")
  func result() throws {
    let result = try event(
      #"{"t": 2, "event": "result", "depth": 0, "outcome": "ValueError", "value": null, "#
        + #""context": "KeyError", "detail": "ValueError: bad (app.py:3)"}"#)
    #expect(
      result.kind
        == .result(
          outcome: "ValueError", value: nil, context: "KeyError",
          detail: "ValueError: bad (app.py:3)"))
    let line = TraceLineFormatter().describe(result)
    #expect(line == "=> ValueError: bad (app.py:3)")
  }

  @Test("a syntax error and a child left running are lines for scopelab, not events")
  func scopelabOnly() throws {
    #expect(
      try PythonTracer.decode(
        #"{"t": 0, "event": "syntax-error", "line": 3, "text": "SyntaxError: invalid syntax"}"#)
        == .syntaxError(line: 3, message: "SyntaxError: invalid syntax"))
    #expect(
      try PythonTracer.decode(#"{"t": 1, "event": "alive", "pid": 77, "text": "sleep 60"}"#)
        == .alive(pid: 77, command: "sleep 60"))
  }

  @Test(
    "what is not a tracer line is refused",
    arguments: [
      "not json", #"{"t": 0}"#, #"{"event": "teleport"}"#, #"{"event": "started", "text": "x"}"#,
      #"{"event": "reaped", "pid": 1.5}"#,
    ])
  func refused(line: String) {
    #expect(throws: PythonTracer.DecodeError.self) { try PythonTracer.decode(line) }
  }

  @Test("the text trace names Python's cancellation in a timeout's conversion")
  func cancelledErrorInText() {
    let event = TraceEvent(
      time: .zero, scope: ScopeIdentity(name: "timeout", id: "timeout#1", depth: 0), depth: 0,
      kind: .exitDone(error: "TimeoutError", step: .converted))
    var python = TraceLineFormatter()
    python.cancellationName = "CancelledError"
    #expect(
      python.describe(event)
        == "exit-done timeout#1: CancelledError -> TimeoutError (deadline passed, TO3)")
    #expect(
      TraceLineFormatter().describe(event)
        == "exit-done timeout#1: CancellationError -> TimeoutError (deadline passed, TO3)")
  }

  @Test("a conversion by a scope's own exit is told as its own (W3), not as a deadline's (TO3)")
  func conversionByExit() throws {
    let decoded = try event(
      #"{"t": 0.1, "event": "exit-done", "scope": "Timeout", "id": "Timeout#1", "depth": 0, "#
        + #""error": "TimeoutError", "step": "exit-converted", "replacing": "KeyError"}"#)
    #expect(
      decoded.kind == .exitDone(error: "TimeoutError", step: .exitConverted(replacing: "KeyError")))
    #expect(
      TraceLineFormatter().describe(decoded)
        == "exit-done Timeout#1: KeyError -> TimeoutError (converted by exit, W3)")
  }

  @Test("the audit: a child left running is one line, not also 'no reaped line'")
  func auditOfALeftChild() {
    let events = [
      TraceEvent(time: .zero, scope: nil, depth: 0, kind: .started(pid: 91, command: "sleep 60")),
      TraceEvent(time: .zero, scope: nil, depth: 0, kind: .started(pid: 92, command: "true")),
      TraceEvent(
        time: .zero, scope: nil, depth: 0,
        kind: .result(outcome: "ok", value: nil, context: nil, detail: nil)),
    ]
    let report = TraceCommandCore.audit(
      events, alive: [(91, "sleep 60")],
      strays: [ProcessOrphans.Stray(pid: 91, command: "sleep"), .init(pid: 93, command: "x")])
    #expect(
      report.problems == [
        "pid 92 has no reaped line (PR2)",
        "pid 91 (sleep 60) was still running after the program ended: killed (PR2)",
        "pid 93 (x) outlived the program: killed (PR2)",
      ])
  }
}

/// What a traced Swift program writes (AsyncScope's `WireSink`), read back by the same
/// decoding: every kind of event a Swift run reports comes back as it was.
@Suite("A traced Swift program's lines")
struct SwiftTraceLinesTests {
  static let scope = ScopeIdentity(name: "timeout", id: "timeout#2", depth: 1)

  static let kinds: [TraceEvent.Kind] = [
    .enter, .enterFailed(error: "KeyError"), .exit(error: nil, expired: nil),
    .exit(error: "CancellationError", expired: true),
    .exitDone(error: "TimeoutError", step: .converted),
    .exitDone(error: "ExitError", step: .raised(replacing: "KeyError")),
    .exitDone(error: nil, step: .bodyFinished),
    .exitDone(error: "CancellationError", step: .suppressRefused),
    .exitDone(error: "TimeoutError", step: .exitConverted(replacing: "KeyError")),
    .exitDone(error: "CancellationError", step: .passedOn(because: .callerCancelled)),
    .exitDone(
      error: "CancellationError", step: .passedOn(because: .enclosingExpired(id: "timeout#1"))),
    .exitDone(error: nil, step: nil), .suppressed(error: "KeyError"), .fired,
    .reschedule(deadline: .milliseconds(1500)), .reschedule(deadline: nil),
    .flag(name: "running", value: false), .started(pid: 42, command: "sh -c \"echo\""),
    .output(text: "tab\there \u{1}", stream: .stderr), .signal(pid: 42, signal: "SIGTERM"),
    .signal(pid: 42, signal: "SIGKILL", group: false),
    .status(pid: 42, status: "signaled(15)"), .reaped(pid: 42),
    .print(text: "a \\ \"quoted\" line"),
  ]

  @Test("each kind of event, through a line and back", arguments: kinds)
  func roundTrip(_ kind: TraceEvent.Kind) throws {
    // With its task's number, and without (a line that does not say).
    for task in [3, nil] {
      let event = TraceEvent(
        time: .microseconds(1_250_003), scope: Self.scope, depth: 1, kind: kind, task: task)
      let line = WireSink.line(for: event)
      #expect(!line.contains("\n"))
      #expect(line.contains(#""task":3"#) == (task != nil), "\(line)")
      #expect(try PythonTracer.decode(line) == .event(event), "\(line)")
    }
  }
}
