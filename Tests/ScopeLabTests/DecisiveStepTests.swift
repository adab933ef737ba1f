import AsyncScope
import TestSupport
import Testing

@testable import ScopeLab

/// The trace says where the protocol does its work: every exit's end, a timeout's
/// conversion, a refused suppress, a reschedule, an interrupt. Real runs, short deadlines;
/// the lines are compared without their times. Where only sleeps and deadlines take time,
/// the run is on a test clock (``ManualClock``) moved to the deadline that decides it: the
/// times are exact, and a busy machine changes nothing; `busy` and the interrupts take
/// real time.
@Suite("Trace: the decisive steps", .serialized, .timeLimit(.minutes(1)))
struct DecisiveStepTests {
  static let converted = "CancellationError -> TimeoutError (deadline passed, TO3)"

  // MARK: - exit-done

  @Test("an exit that sleeps: exit-done comes when it returns, the runner's after it")
  func slowExit() async throws {
    let clock = ManualClock()
    let run = try await runProgram("runner { scope A(slow-exit=0.2) { print body } }", on: clock) {
      _ in
      await clock.sleeping(1)
      clock.advance(by: .milliseconds(200))
    }
    #expect(
      run.lines == [
        "enter runner#1", "  runner#1 running=true", "  enter A#1", "    body",
        "  exit A#1 (received none)", "  exit-done A#1", "exit runner#1 (received none)",
        "  runner#1 running=false", "exit-done runner#1", "=> ok",
      ])
    let began = try #require(run.time { $0 == .exit(error: nil, expired: nil) })
    let done = try #require(run.time { $0 == .exitDone(error: nil, step: nil) })
    #expect(done - began == 0.2, "exit took \(done - began)s")
  }

  @Test("an exit that throws: its own error, on its own exit-done line")
  func throwingExit() async throws {
    let run = try await runProgram("scope A(throw-exit) { print body }")
    #expect(
      run.lines == [
        "enter A#1", "  body", "exit A#1 (received none)", "exit-done A#1: exit raised ExitError",
        "=> ExitError",
      ])
    let chained = try await runProgram("scope A(throw-exit) { throw KeyError }")
    #expect(
      chained.lines.suffix(2) == [
        "exit-done A#1: exit raised ExitError, replacing KeyError (W3)",
        "=> ExitError during handling of KeyError",
      ])
  }

  @Test("an error that passes through: exit-done says it goes on")
  func passingError() async throws {
    let run = try await runProgram("scope A { scope B { throw KeyError } }")
    #expect(
      run.lines == [
        "enter A#1", "  enter B#1", "  exit B#1 (received KeyError)",
        "  exit-done B#1: KeyError goes on", "exit A#1 (received KeyError)",
        "exit-done A#1: KeyError goes on", "=> KeyError",
      ])
  }

  @Test("a suppressed error: suppressed, then nothing leaves, and the program goes on")
  func suppressed() async throws {
    let run = try await runProgram("scope A(suppress) { throw KeyError }; print after")
    #expect(
      run.lines == [
        "enter A#1", "exit A#1 (received KeyError)", "A#1 suppressed KeyError", "exit-done A#1",
        "after", "=> ok",
      ])
  }

  // MARK: - Timeouts

  @Test("a timeout converts its own cancellation, on its exit-done line")
  func conversion() async throws {
    let run = try await Self.runToDeadline("timeout 0.05 { sleep 5 }", sleeping: 2)
    #expect(
      run.lines.dropLast() == [
        "enter timeout#1", "  fired timeout#1: deadline passed, cancelling its body",
        "exit timeout#1 (received CancellationError, expired)",
        "exit-done timeout#1: \(Self.converted)",
      ])
    #expect(run.lines.last == "=> TimeoutError: timeout(50ms) expired after 0.050s")
  }

  /// Runs `source` on a test clock, moving it 50 ms once `count` sleeps wait (deadlines'
  /// timers and the body's sleep).
  static func runToDeadline(_ source: String, sleeping count: Int) async throws -> RunRecord {
    let clock = ManualClock()
    return try await runProgram(source, on: clock) { _ in
      await clock.sleeping(count)
      clock.advance(by: .milliseconds(50))
    }
  }

  @Test("a body that ignores its deadline and finishes: expired, and its result stands (TO4)")
  func bodyFinished() async throws {
    let run = try await runProgram("timeout 0.05 { busy 0.15 }; print after")
    #expect(
      run.lines == [
        "enter timeout#1", "  fired timeout#1: deadline passed, cancelling its body",
        "exit timeout#1 (received none, expired)",
        "exit-done timeout#1: deadline passed, but the body finished (TO4)", "after", "=> ok",
      ])
  }

  @Test("nested, the inner one expires: it converts, the outer passes TimeoutError on")
  func innerConverts() async throws {
    let run = try await Self.runToDeadline("timeout 5 { timeout 0.05 { sleep 5 } }", sleeping: 3)
    #expect(
      run.exitDoneLines == [
        "  exit-done timeout#2: \(Self.converted)", "exit-done timeout#1: TimeoutError goes on",
      ])
    #expect(run.lines.last?.hasPrefix("=> TimeoutError: timeout(50ms)") == true)
  }

  @Test("nested, the outer one expires: the inner passes the cancellation on, unexpired")
  func outerConverts() async throws {
    let run = try await Self.runToDeadline("timeout 0.05 { timeout 5 { sleep 5 } }", sleeping: 3)
    #expect(
      run.exitDoneLines == [
        "  exit-done timeout#2: CancellationError goes on",
        "exit-done timeout#1: \(Self.converted)",
      ])
    #expect(run.lines.last?.hasPrefix("=> TimeoutError: timeout(50ms)") == true)
  }

  @Test("nested, both expire: the inner says the outer expired too, the outer converts (TO5)")
  func bothExpire() async throws {
    // busy never checks cancellation, so both deadlines pass before `sleep 0` throws (0.44 s
    // after the second: room for a busy machine to fire it late).
    let run = try await runProgram("timeout 0.05 { timeout 0.06 { busy 0.5; sleep 0 } }")
    #expect(
      run.exitDoneLines == [
        "  exit-done timeout#2: CancellationError goes on"
          + " (timeout#1 expired too: outermost converts, TO5)",
        "exit-done timeout#1: \(Self.converted)",
      ])
    #expect(run.lines.filter { $0.contains("fired timeout#") }.count == 2, "\(run.lines)")
  }

  @Test("a requested suppress of a cancellation is refused, and the trace says so (W4)")
  func refusedSuppress() async throws {
    let run = try await Self.runToDeadline(
      "timeout 0.05 { scope A(suppress) { sleep 5 } }", sleeping: 2)
    #expect(
      run.exitDoneLines == [
        "  exit-done A#1: CancellationError goes on"
          + " (suppress refused: a cancellation, W4)",
        "exit-done timeout#1: \(Self.converted)",
      ])
    #expect(!run.lines.contains { $0.contains("A#1 suppressed") })
  }

  @Test("reschedule: its own event with the new deadline; the error still names the timeout")
  func reschedule() async throws {
    let clock = ManualClock()
    let run = try await runProgram("timeout 5 { reschedule 0.05; sleep 5 }", on: clock) { trace in
      // Once rescheduled, the first timer is gone (or never starts): the new one and the
      // sleep wait.
      try await trace.waitFor("timeout#1") {
        if case .reschedule = $0 { true } else { false }
      }
      await clock.sleeping(2)
      #expect(clock.pendingDeadlines == [.milliseconds(50), .seconds(5)])
      clock.advance(by: .milliseconds(50))
    }
    let deadline = try #require(
      run.events.lazy.compactMap { event -> Duration?? in
        if case .reschedule(let deadline) = event.kind { return deadline }
        return nil
      }.first)
    let seconds = try #require(deadline).inSeconds
    #expect(seconds == 0.05, "deadline at \(seconds)s since the run started")
    #expect(run.lines[1] == "  reschedule timeout#1: deadline now at 0.050s", "\(run.lines)")
    #expect(run.lines[2] == "  fired timeout#1: deadline passed, cancelling its body")
    #expect(
      run.lines.last == "=> TimeoutError: timeout(5s, rescheduled) expired after 0.050s",
      "\(run.lines)")

    let none = try await runProgram("timeout 0.05 { reschedule none; sleep 0.1 }")
    #expect(none.lines[1] == "  reschedule timeout#1: no deadline now")
    #expect(none.outcome == .ok(value: nil))
  }

  // MARK: - Interrupts

  /// Runs `source`; `after` later, `act` does to the controller what a key or signal would.
  private func runInterrupted(
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

  @Test("Ctrl-C after a deadline passed: the timeout says outside wins; KeyboardInterrupt")
  func interruptAfterDeadline() async throws {
    let record = try await runInterrupted(
      "timeout 0.05 { busy 0.3; sleep 0 }", after: .milliseconds(120)
    ) { $0.interrupt() }
    #expect(record.outcome == .keyboardInterrupt)
    #expect(
      record.lines.contains(
        "interrupt: Ctrl-C (SIGINT) - cancelling the run; every exit still runs; a third quits"))
    #expect(
      record.exitDoneLines == [
        "exit-done timeout#1: CancellationError goes on"
          + " (caller cancelled too: outside wins, TO3)"
      ])
    #expect(record.lines.last == "=> KeyboardInterrupt")
  }

  @Test("a stop signal is traced by name and is the outcome, not KeyboardInterrupt")
  func stopSignal() async throws {
    let record = try await runInterrupted("scope A { sleep 30 }", after: .milliseconds(50)) {
      $0.terminate(signal: "SIGHUP")
    }
    let outcome = record.outcome
    #expect(outcome == .interrupted(signal: "SIGHUP"))
    #expect(outcome.exitStatus == 129)
    let interrupts = record.events.filter {
      if case .interrupt = $0.kind { true } else { false }
    }
    #expect(interrupts.map(\.kind) == [.interrupt(signal: "SIGHUP", count: 1)])
    #expect(record.lines.last == "=> SIGHUP")
    #expect(
      JSONLTraceSink.encode(try #require(record.events.last)).contains(#""outcome":"SIGHUP""#))
  }

  @Test("the interrupt lines: first, second and third Ctrl-C, and stop signals")
  func interruptTexts() {
    let formatter = TraceLineFormatter()
    func line(_ signal: String, _ count: Int, escalates: Bool = false) -> String {
      formatter.describe(
        TraceEvent(
          time: .zero, scope: nil, depth: 0,
          kind: .interrupt(signal: signal, count: count, escalates: escalates)))
    }
    #expect(
      line("SIGINT", 1)
        == "interrupt: Ctrl-C (SIGINT) - cancelling the run; every exit still runs; a third quits"
    )
    // The second press skips a grace period only when a teardown is in one.
    #expect(
      line("SIGINT", 2, escalates: true)
        == "interrupt: Ctrl-C again - a process teardown skips the rest of its grace period;"
        + " a third quits")
    #expect(line("SIGINT", 2) == "interrupt: Ctrl-C again - press once more to quit at once")
    // The app itself says "quitting now" (on stderr), once.
    #expect(line("SIGINT", 3) == "interrupt: Ctrl-C a third time")
    #expect(line("SIGTERM", 1) == "interrupt: SIGTERM - cancelling the run; every exit still runs")
  }

  // MARK: - JSONL

  @Test("JSONL: exit-done's error, reschedule's deadline (or null), interrupt's signal")
  func jsonl() {
    let scope = ScopeIdentity(name: "timeout", id: "timeout#1", depth: 0)
    func encode(_ kind: TraceEvent.Kind, scope: ScopeIdentity? = scope) -> String {
      JSONLTraceSink.encode(
        TraceEvent(time: .milliseconds(1500), scope: scope, depth: 0, kind: kind))
    }
    let head = #"{"t":1.500000,"event":"#
    let ids = #""scope":"timeout","id":"timeout#1","depth":0"#
    #expect(
      encode(.exitDone(error: "TimeoutError", step: .converted))
        == head + #""exit-done","# + ids + #","error":"TimeoutError"}"#)
    #expect(
      encode(.exitDone(error: nil, step: nil)) == head + #""exit-done","# + ids + #","error":null}"#
    )
    #expect(
      encode(.reschedule(deadline: .milliseconds(2250)))
        == head + #""reschedule","# + ids + #","deadline":2.250000}"#)
    #expect(
      encode(.reschedule(deadline: nil)) == head + #""reschedule","# + ids + #","deadline":null}"#)
    #expect(
      encode(.interrupt(signal: "SIGINT", count: 2), scope: nil)
        == head + #""interrupt","signal":"SIGINT"}"#)
  }

  // MARK: - Text from outside is shown, never obeyed

  @Test("a child's escape sequence is shown escaped in the text trace, kept exact in JSONL")
  func escapes() async throws {
    let run = try await runProgram(#"process printf '\033[31mRED\033[0m\ttab' { wait }"#)
    let output = run.events.first {
      if case .output = $0.kind { true } else { false }
    }
    let event = try #require(output)
    #expect(event.kind == .output(text: "\u{1B}[31mRED\u{1B}[0m\ttab", stream: .stdout))
    let line = TraceLineFormatter().line(for: event)
    #expect(!line.contains("\u{1B}") && !line.contains("\t"))
    #expect(line.hasSuffix(#"stdout | \u{1B}[31mRED\u{1B}[0m\ttab"#))
    #expect(JSONLTraceSink.encode(event).contains(#""text":"\u001b[31mRED\u001b[0m\ttab""#))
  }

  @Test("control characters in prints, names and results are escaped too")
  func escapedEverywhere() {
    let formatter = TraceLineFormatter()
    let odd = ScopeIdentity(name: "a\u{7}b", id: "a\u{7}b#1", depth: 0)
    #expect(
      formatter.describe(TraceEvent(time: .zero, scope: odd, depth: 0, kind: .enter))
        == #"enter a\u{07}b#1"#)
    #expect(
      formatter.describe(
        TraceEvent(time: .zero, scope: nil, depth: 0, kind: .print(text: "x\u{9B}2J")))
        == #"x\u{009B}2J"#)
    let result = TraceEvent.Kind.result(outcome: "E\u{1B}", value: nil, context: nil, detail: nil)
    #expect(
      formatter.describe(TraceEvent(time: .zero, scope: nil, depth: 0, kind: result))
        == #"=> E\u{1B}"#)
  }
}

extension RunRecord {
  /// Only the exit-done lines, in order.
  var exitDoneLines: [String] { lines.filter { $0.contains("exit-done ") } }
}
