import AsyncScope
import TestSupport
import Testing

@testable import ScopeLab

/// The examples' sleeps and deadlines are on a test clock (``ManualClock``) moved to each
/// deadline in turn: the times are exact, and a busy machine changes nothing.
@Suite("Evaluator: DESIGN.md's examples run exactly as written", .timeLimit(.minutes(1)))
struct DesignExampleTests {
  @Test("timeout 2 { sleep 1; print done }; print after")
  func seedDone() async throws {
    let clock = ManualClock()
    let run = try await runProgram(
      #"timeout 2 { sleep 1; print "done" }; print "after""#, on: clock
    ) { _ in
      // The deadline's timer and the sleep wait; the sleep ends first.
      await clock.sleeping(2)
      #expect(clock.pendingDeadlines == [.seconds(1), .seconds(2)])
      clock.advance(by: .seconds(1))
    }
    #expect(run.outcome == .ok(value: nil))
    #expect(run.printed == ["done", "after"])
    #expect(run.time { $0 == .print(text: "done") } == 1)
  }

  @Test("the seed with parameters: sleep 3 gives TimeoutError at 2 s")
  func seedTimeout() async throws {
    let clock = ManualClock()
    let run = try await runProgram(
      #"timeout $timeout { sleep $sleep; print "done" }; print "after""#, on: clock,
      set: ["sleep": "3"]
    ) { _ in
      await clock.sleeping(2)
      #expect(clock.pendingDeadlines == [.seconds(2), .seconds(3)])
      clock.advance(by: .seconds(2))
    }
    #expect(run.outcome.name == "TimeoutError")
    #expect(run.printed.isEmpty)
    #expect(run.time { $0 == .fired } == 2)
  }

  @Test("runner { sleep 0.5 }: running true on enter, false on exit")
  func runner() async throws {
    let clock = ManualClock()
    let run = try await runProgram("runner { sleep 0.5 }", on: clock) { _ in
      await clock.sleeping(1)
      clock.advance(by: .milliseconds(500))
    }
    #expect(run.outcome == .ok(value: nil))
    let flags = run.events.compactMap { event -> Bool? in
      if case .flag("running", let value) = event.kind { return value }
      return nil
    }
    #expect(flags == [true, false])
  }

  @Test("process sh -c \"echo hi; exit 3\" { wait }: exit status 3 is a result, not an error")
  func processStatus() async throws {
    let run = try await runProgram(#"process sh -c "echo hi; exit 3" { wait }"#)
    #expect(run.outcome == .ok(value: nil))
    #expect(run.events.contains { $0.kind == .output(text: "hi", stream: .stdout) })
    #expect(
      run.events.contains { if case .status(_, "exited(3)") = $0.kind { true } else { false } })
    #expect(run.events.contains { if case .reaped = $0.kind { true } else { false } })
  }

  @Test("timeout 0.5 { runner { process sleep 10 { wait } } }: every exit runs, LIFO")
  func nestedTeardown() async throws {
    let clock = ManualClock()
    let run = try await runProgram(
      "timeout 0.5 { runner { process sleep 10 { wait } } }", on: clock
    ) { trace in
      // The deadline passes once the child runs (its timer is the only sleep); SIGTERM
      // ends it within its grace period, which the clock never reaches.
      try await trace.waitFor("process#1") {
        if case .started = $0 { true } else { false }
      }
      await clock.sleeping(1)
      clock.advance(by: .milliseconds(500))
    }
    #expect(run.outcome.name == "TimeoutError")
    let exits = run.events.compactMap { event -> String? in
      if case .exit = event.kind { return event.scope?.id }
      return nil
    }
    #expect(exits == ["process#1", "runner#1", "timeout#1"])
    #expect(run.events.contains { $0.kind == .flag(name: "running", value: false) })
    #expect(
      run.events.contains { if case .signal(_, "SIGTERM", _) = $0.kind { true } else { false } })
    #expect(run.events.last?.time == .milliseconds(500))
  }

  @Test("scope A { scope B { print body } }")
  func namedScopes() async throws {
    let run = try await runProgram("scope A { scope B { print body } }")
    #expect(
      run.lines == [
        "enter A#1", "  enter B#1", "    body", "  exit B#1 (received none)", "  exit-done B#1",
        "exit A#1 (received none)", "exit-done A#1", "=> ok",
      ])
  }

  @Test("try { timeout 1 { sleep 3 } } catch TimeoutError { print caught }")
  func catchTimeout() async throws {
    let clock = ManualClock()
    let run = try await runProgram(
      "try { timeout 1 { sleep 3 } } catch TimeoutError { print caught }", on: clock
    ) { _ in
      await clock.sleeping(2)
      clock.advance(by: .seconds(1))
    }
    #expect(run.outcome == .ok(value: nil))
    #expect(run.printed == ["caught"])
  }
}

/// The runs that only sleep and wait on deadlines are on a test clock moved to the
/// deadline that decides them (``runToDeadline(_:sleeping:by:)``); `busy`, a child
/// process and `timeout 0` run in real time.
@Suite("Evaluator: Lessons/rules.md's rules through programs", .timeLimit(.minutes(1)))
struct EvaluatorRuleTests {
  /// Runs `source` on a test clock, moving it by `step` once `count` sleeps wait
  /// (deadlines' timers and the body's sleep).
  static func runToDeadline(
    _ source: String, sleeping count: Int, by step: Duration = .milliseconds(100)
  ) async throws -> RunRecord {
    let clock = ManualClock()
    return try await runProgram(source, on: clock) { _ in
      await clock.sleeping(count)
      clock.advance(by: step)
    }
  }

  @Test("W1: a failed enter skips the body and exit; the error propagates")
  func enterFails() async throws {
    let run = try await runProgram("scope A(fail-enter) { print body }")
    #expect(run.outcome.name == "EnterError")
    #expect(run.printed.isEmpty)
    #expect(!run.events.contains { if case .exit = $0.kind { true } else { false } })
  }

  @Test("W3: suppress lets the statement after the scope run")
  func suppress() async throws {
    let run = try await runProgram("scope A(suppress) { throw KeyError }; print after")
    #expect(run.outcome == .ok(value: nil))
    #expect(run.printed == ["after"])
    #expect(run.events.contains { $0.kind == .suppressed(error: "KeyError") })
  }

  @Test("W3: exit throwing replaces the error, keeping it as context")
  func exitReplaces() async throws {
    let run = try await runProgram("scope A(throw-exit) { throw KeyError }")
    #expect(
      run.outcome
        == .failed(
          name: "ExitError", context: "KeyError", detail: "ExitError during handling of KeyError"))
    guard case .result(_, _, let context, _) = run.events.last?.kind else {
      Issue.record("no result event")
      return
    }
    #expect(context == "KeyError")
  }

  @Test("W3: the outer exit sees nil after an inner suppress, the new error after an inner throw")
  func outerSees() async throws {
    let suppressed = try await runProgram("scope O { scope I(suppress) { throw KeyError } }")
    #expect(suppressed.lines.contains("exit O#1 (received none)"))
    let replaced = try await runProgram("scope O { scope I(throw-exit) { throw KeyError } }")
    #expect(replaced.lines.contains("exit O#1 (received ExitError)"))
  }

  @Test("W4: a suppressing scope does not swallow a timeout's cancellation")
  func noSuppressingCancellation() async throws {
    let run = try await Self.runToDeadline(
      "timeout 0.1 { scope A(suppress) { sleep 5 }; print after }", sleeping: 2)
    #expect(run.outcome.name == "TimeoutError")
    #expect(run.printed.isEmpty)
  }

  @Test("W5: a slow exit still finishes when the body was cancelled")
  func slowExit() async throws {
    let clock = ManualClock()
    let run = try await runProgram("timeout 0.1 { scope A(slow-exit=0.3) { sleep 5 } }", on: clock)
    { trace in
      await clock.sleeping(2)
      clock.advance(by: .milliseconds(100))
      // The cancelled body's scope exits (its sleep is gone by then), sleeping its 0.3 s
      // all the same.
      try await trace.waitFor("A#1") {
        if case .exit = $0 { true } else { false }
      }
      await clock.sleeping(1)
      clock.advance(by: .milliseconds(300))
    }
    #expect(run.outcome.name == "TimeoutError")
    #expect(run.events.last?.time == .milliseconds(400))
  }

  @Test("return ends the program with ok; every exit sees no error")
  func returnValue() async throws {
    let run = try await runProgram("timeout 5 { runner { return 42; print never } }; print never")
    #expect(run.outcome == .ok(value: "42"))
    #expect(run.printed.isEmpty)
    #expect(run.lines.contains("  exit runner#1 (received none)"))
  }

  @Test("bare catch catches cancellation too - and the cancellation stays (it is sticky)")
  func bareCatch() async throws {
    let run = try await Self.runToDeadline(
      "timeout 0.1 { try { sleep 5 } catch { print swallowed }; sleep 0.1; print never }",
      sleeping: 2)
    #expect(run.printed == ["swallowed"])
    #expect(run.outcome.name == "TimeoutError")
  }

  @Test("TO4: a body that swallows cancellation and returns is ok, with expired")
  func swallowAndReturn() async throws {
    let run = try await Self.runToDeadline(
      "timeout 0.1 { try { sleep 5 } catch { return done } }", sleeping: 2)
    #expect(run.outcome == .ok(value: "done"))
    #expect(run.events.contains { $0.kind == .exit(error: nil, expired: true) })
  }

  @Test("TO6: timeout 0 { sleep 0 } is TimeoutError every time", arguments: ["0", "-1"])
  func timeoutZero(limit: String) async throws {
    for _ in 0..<20 {
      let run = try await runProgram("timeout \(limit) { sleep 0 }")
      #expect(run.outcome.name == "TimeoutError")
    }
  }

  @Test("TO6: busy is not interrupted: a body that never checks for cancellation completes")
  func busyCompletes() async throws {
    let run = try await runProgram("timeout 0.05 { busy 0.2; print finished }")
    #expect(run.printed == ["finished"])
    #expect(run.outcome == .ok(value: nil))
  }

  @Test("TO8: reschedule moves the deadline of the innermost timeout")
  func reschedule() async throws {
    // Once rescheduled, the first timer is gone (or never starts): the new one and the
    // sleep wait.
    func rescheduled(_ source: String) async throws -> RunRecord {
      let clock = ManualClock()
      return try await runProgram(source, on: clock) { trace in
        try await trace.waitFor("timeout#1") {
          if case .reschedule = $0 { true } else { false }
        }
        await clock.sleeping(2)
        let first = try #require(clock.pendingDeadlines.first)
        clock.advance(by: first)
      }
    }
    let run = try await rescheduled("timeout 0.1 { reschedule 2; sleep 0.3; print done }")
    #expect(run.printed == ["done"])
    #expect(run.events.first { $0.kind == .print(text: "done") }?.time == .milliseconds(300))
    let early = try await rescheduled("timeout 5 { reschedule 0.05; sleep 3 }")
    #expect(early.outcome.name == "TimeoutError")
    #expect(early.events.first { $0.kind == .fired }?.time == .milliseconds(50))
  }

  @Test("PR1: a command that does not exist fails enter: outcome FileNotFoundError")
  func commandNotFound() async throws {
    let run = try await runProgram("process no-such-command-here { wait }")
    #expect(run.outcome.name == "FileNotFoundError")
    #expect(run.outcome.exitStatus == 1)
  }

  @Test("sleep inf sleeps until cancelled; none removes a timeout")
  func infinite() async throws {
    let run = try await Self.runToDeadline(
      "timeout 0.05 { sleep inf }", sleeping: 2, by: .milliseconds(50))
    #expect(run.outcome.name == "TimeoutError")
    // No deadline: the sleep is all that waits.
    let none = try await Self.runToDeadline(
      "timeout none { sleep 0.05; print done }", sleeping: 1, by: .milliseconds(50))
    #expect(none.printed == ["done"])
  }
}

@Suite("Evaluator: invalid programs are caught before anything runs")
struct CheckerTests {
  @Test(
    "errors with positions",
    arguments: [
      ("sleep $slep", "unknown parameter '$slep' - did you mean '$sleep'?"),
      ("timeout $timeout { print $grase }", "unknown parameter '$grase' - did you mean '$grace'?"),
    ])
  func invalid(source: String, message: String) throws {
    let program = try Program(parsing: source)
    do {
      try program.validate(parameters: Parameters.builtIn.values)
      Issue.record("accepted \(source)")
    } catch {
      #expect(error.message == message)
      #expect(error.position.line == 1)
    }
  }

  @Test("a parameter set to garbage is refused when set, not when run")
  func setGarbage() {
    var parameters = Parameters.builtIn
    #expect(throws: ParameterError.self) { try parameters.set("sleep", to: "nan") }
    #expect(throws: ParameterError.self) { try parameters.set("slep", to: "1") }
    #expect((try? parameters.value("sleep")) == UserDuration(.seconds(1)))
  }
}
