import AsyncScope
import TestSupport
import Testing

@testable import ScopeLab

/// `why`: real runs, explained from their traces; each names the rule that decided the
/// outcome (Lessons/rules.md) and says what happened in its words.
@Suite("Explaining an outcome", .serialized)
struct OutcomeExplanationTests {
  // MARK: - ok

  @Test("ok with nothing to handle: every exit ran once (W2)")
  func plainOK() async throws {
    let (_, why) = try await explainRun("scope A { scope B { print body } }")
    #expect(why.outcome == "ok")
    #expect(why.rule == "W2")
    #expect(
      why.summary
        == "ok: each scope's body ended without an error, and each of the 2 exits ran once"
        + " with nothing to handle (W2)")
    #expect(why.lines.isEmpty)
    // Not "every body", which reads as "everybody".
    let (_, one) = try await explainRun("scope A { print body }")
    #expect(
      one.summary
        == "ok: the scope's body ended without an error, and its exit ran once with nothing"
        + " to handle (W2)")
  }

  @Test("ok with a returned value: return ended the program (W2)")
  func returned() async throws {
    let (_, why) = try await explainRun("scope A { return 42 }")
    #expect(why.rule == "W2")
    #expect(why.summary.hasPrefix("ok: returned 42 - 'return' ended the program"))
  }

  @Test("ok because an exit suppressed the error, naming the scope (W3)")
  func suppressed() async throws {
    let (_, why) = try await explainRun("scope A(suppress) { throw KeyError }; print after")
    #expect(why.rule == "W3")
    #expect(
      why.summary
        == "ok: the exit of A#1 suppressed KeyError, so the statement after the scope ran (W3)")
  }

  @Test("ok after an expired deadline: the body ignored the cancellation and finished (TO4)")
  func bodyFinished() async throws {
    let (_, why) = try await explainRun("timeout 0.05 { busy 0.4 }; print after")
    #expect(why.rule == "TO4")
    // When it passed: at 0.05 s or later (a busy machine fires it late), before the body's
    // 0.4 s of busy work ended.
    let prefix = "ok: the deadline of timeout#1 passed at "
    #expect(why.summary.hasPrefix(prefix), "\(why.summary)")
    let passed = Double(why.summary.dropFirst(prefix.count).prefix { $0 != "s" }) ?? -1
    #expect(passed >= 0.05 && passed < 0.4, "\(why.summary)")
    #expect(why.summary.contains("its result stands, with expired = true (TO4)"))
    let busy = try #require(why.lines.first { $0.contains("(TO2)") }, "\(why.lines)")
    #expect(busy.hasPrefix("the body of timeout#1 went on for 0."))
  }

  @Test("ok: a TimeoutError caught by a try; the program went on (TO3, TO1)")
  func caughtTimeout() async throws {
    let (_, why) = try await explainRun(
      "try { timeout 0.05 { sleep 3 } } catch TimeoutError { print caught }")
    #expect(why.rule == "TO1")
    #expect(why.summary.contains("timeout#1 passed at 0."))
    #expect(why.summary.contains("raised TimeoutError (TO3); a try caught it"))
    // ... and how asyncio gets the same effect without a task of its own.
    #expect(why.summary.contains("asyncio.timeout cancels the task itself"), "\(why.summary)")
    #expect(why.summary.contains("uncancel()"))
  }

  @Test("ok: a TimeoutError converted deeper down is still told as the timeout's (TO3, TO1)")
  func caughtDeeperTimeout() async throws {
    let (_, why) = try await explainRun(
      "try { scope A { timeout 0.05 { sleep 3 } } } catch TimeoutError { print caught }")
    #expect(why.rule == "TO1")
    // When it passed: at 0.05 s or later (a busy machine fires it late), before the body's
    // 0.4 s of busy work ended.
    let prefix = "ok: the deadline of timeout#1 passed at "
    #expect(why.summary.hasPrefix(prefix), "\(why.summary)")
    let passed = Double(why.summary.dropFirst(prefix.count).prefix { $0 != "s" }) ?? -1
    #expect(passed >= 0.05 && passed < 0.4, "\(why.summary)")
  }

  @Test("ok: a TimeoutError the body threw itself and a try caught is not an expiry (TO8)")
  func caughtOwnTimeoutError() async throws {
    let (_, why) = try await explainRun(
      "try { timeout 5 { throw TimeoutError } } catch TimeoutError { print caught }")
    #expect(why.rule == "TO8")
    #expect(why.summary.contains("a TimeoutError of its own inside timeout#1, not the timeout's"))
    #expect(why.summary.contains("(expired = false)"))
  }

  @Test("ok: any other caught error names the scope it left (W3)")
  func caughtError() async throws {
    let (_, why) = try await explainRun("try { scope A { throw KeyError } } catch KeyError { }")
    #expect(why.rule == "W3")
    #expect(why.summary == "ok: KeyError left A#1 and a try caught it, so the program went on (W3)")
  }

  @Test("ok: a non-zero exit status is a result, not an error (PR3)")
  func exitStatus() async throws {
    let (record, why) = try await explainRun(#"process sh -c "echo hi; exit 3" { wait }"#)
    #expect(record.outcome == .ok(value: nil))
    #expect(why.rule == "PR3")
    #expect(why.summary.contains("exited(3), and an exit status is a result, not an error (PR3)"))
  }

  @Test("ok with no scope at all: no rule to name")
  func noScope() async throws {
    let (_, why) = try await explainRun("print hi")
    #expect(why.rule == nil)
    #expect(why.summary == "ok: the program ran to its end; no scope was entered")
  }

  // MARK: - TimeoutError

  @Test("TimeoutError at the deadline, on a test clock: DESIGN.md's words exactly (TO3)")
  func conversionExact() async throws {
    let clock = ManualClock()
    let record = try await runProgram("timeout 2 { sleep 3 }", on: clock) { _ in
      // The deadline's timer and the sleep wait; the clock moves to the deadline exactly.
      await clock.sleeping(2)
      clock.advance(by: .seconds(2))
    }
    let why = OutcomeExplanation.explain(record.events)
    #expect(why.rule == "TO3")
    #expect(
      why.summary
        == "TimeoutError: the deadline of timeout#1 passed at 2.000s while its body slept; the"
        + " body ended with CancellationError and nothing outside was cancelling (TO3)")
    #expect(why.lines.isEmpty, "\(why.lines)")
  }

  @Test("TimeoutError while a child ran: the teardown is told signal by signal (TO3, PR2)")
  func conversionWithTeardown() async throws {
    // On a test clock: the deadline passes once the child has armed its trap (a SIGTERM
    // before that would end it, with no SIGKILL to tell), and the grace period ends when
    // the test says, not when a busy machine gets round to it.
    let clock = ManualClock()
    let record = try await runProgram(
      #"timeout 0.1 { process sh -c "trap '' TERM; echo armed; sleep 5" { wait } }"#, on: clock,
      set: ["grace": "0.2"]
    ) { trace in
      try await trace.waitFor("process#1") { $0 == .output(text: "armed", stream: .stdout) }
      await clock.sleeping(1)  // the deadline's timer
      clock.advance(by: .milliseconds(100))
      await clock.sleeping(1)  // the grace period, after SIGTERM
      clock.advance(by: .milliseconds(200))
    }
    let why = OutcomeExplanation.explain(record.events)
    #expect(why.rule == "TO3")
    #expect(why.summary.contains("while its child pid "), "\(record.lines)")
    let teardown = try #require(why.lines.first { $0.contains("(PR2") }, "\(why.lines)")
    #expect(teardown.hasPrefix("process#1 tore its child down: SIGTERM to pid "))
    #expect(teardown.contains("SIGKILL at 0.300s"), "\(teardown)")
    #expect(teardown.contains("(the grace period was over), signaled(9), reaped (PR2; "))
    // What plain asyncio does not do (PythonHelpersTests run it under CPython).
    #expect(teardown.contains("plain asyncio.create_subprocess_exec child: it goes on running"))
  }

  @Test("TimeoutError from a body that stayed busy past the deadline (TO3, TO2)")
  func conversionAfterBusy() async throws {
    let (_, why) = try await explainRun("timeout 0.05 { busy 0.4; sleep 0 }")
    #expect(why.rule == "TO3")
    #expect(
      why.summary.contains("passed at 0.") && why.summary.contains("while its body was busy"))
    #expect(why.lines.contains { $0.hasPrefix("the body of timeout#1 went on for 0.") })
  }

  @Test("a TimeoutError the body threw itself is not the timeout's: expired = false (TO8)")
  func thrownTimeoutError() async throws {
    let (_, why) = try await explainRun("timeout 1 { throw TimeoutError }")
    #expect(why.outcome == "TimeoutError")
    #expect(why.rule == "TO8")
    #expect(why.summary.contains("threw it itself inside timeout#1, whose deadline had not passed"))
    #expect(why.summary.contains("(expired = false)"))
  }

  @Test("a body error after the deadline passed goes on as itself (TO4)")
  func errorAfterExpiry() async throws {
    let (_, why) = try await explainRun("timeout 0.05 { busy 0.3; throw KeyError }")
    #expect(why.outcome == "KeyError")
    #expect(why.rule == "TO4")
    #expect(why.summary.contains("but its body then ended with KeyError, not a cancellation"))
  }

  @Test("deadline already passed at enter: TimeoutError every time (TO6), or ok without a wait")
  func deadlineAtEnter() async throws {
    let (_, failed) = try await explainRun("timeout 0 { sleep 0 }")
    #expect(failed.rule == "TO6")
    #expect(failed.summary.hasPrefix("TimeoutError: the deadline of timeout#1 had already passed"))
    #expect(failed.summary.contains("the first check for cancellation in it threw"))
    let (_, finished) = try await explainRun("timeout 0 { print hi }")
    #expect(finished.outcome == "ok")
    #expect(finished.rule == "TO6")
    #expect(finished.summary.contains("never checked for cancellation and finished"))
    // busy awaits (it yields), yet never checks: the summary says the same of it.
    let (_, busy) = try await explainRun("timeout 0 { busy 0.02 }")
    #expect(busy.rule == "TO6")
    #expect(busy.summary.contains("never checked for cancellation and finished"))
  }

  // MARK: - Nested timeouts (TO5)

  @Test("nested, the inner one expires: it converts, the outer lets TimeoutError go on (TO5)")
  func innerConverts() async throws {
    let (_, why) = try await explainRun("timeout 5 { timeout 0.05 { sleep 5 } }")
    #expect(why.rule == "TO3")
    #expect(why.summary.hasPrefix("TimeoutError: the deadline of timeout#2 passed at 0."))
    #expect(
      why.lines.contains("then it went through timeout#1: its exit ran and let it go on (W2)"))
    #expect(why.lines.contains("timeout#1 had not expired, so it let TimeoutError go on (TO5)"))
  }

  @Test("nested, the outer one expires: the inner passes the cancellation on (TO5)")
  func outerConverts() async throws {
    let (_, why) = try await explainRun("timeout 0.05 { timeout 5 { sleep 5 } }")
    #expect(why.summary.hasPrefix("TimeoutError: the deadline of timeout#1 passed at 0."))
    #expect(why.lines == ["timeout#2 had not expired, so it passed the cancellation on (TO5)"])
  }

  @Test("nested, both expire: only the outermost converts, and the inner says so (TO5)")
  func bothExpire() async throws {
    let (_, why) = try await explainRun("timeout 0.05 { timeout 0.06 { busy 0.3; sleep 0 } }")
    #expect(why.summary.hasPrefix("TimeoutError: the deadline of timeout#1 passed at 0."))
    #expect(
      why.lines.contains(
        "timeout#2 expired too, but passed the cancellation on: only the outermost expired"
          + " timeout, timeout#1, converts (TO5)"), "\(why.lines)")
    #expect(why.lines.filter { $0.contains("(TO2)") }.count == 1, "told once, by the outer")
  }

  // MARK: - Outside cancellation

  @Test("Ctrl-C: KeyboardInterrupt, every exit still ran (REPL1)")
  func keyboardInterrupt() async throws {
    let record = try await runInterrupted("scope A { sleep 30 }", after: .milliseconds(100)) {
      $0.interrupt()
    }
    let why = OutcomeExplanation.explain(record.events)
    #expect(why.outcome == "KeyboardInterrupt")
    #expect(why.rule == "REPL1")
    #expect(why.summary.hasPrefix("KeyboardInterrupt: Ctrl-C at 0."))
    #expect(why.summary.hasSuffix("cancelled the run and every exit still ran (REPL1)"))
  }

  @Test("Ctrl-C after a deadline passed: outside cancellation wins over the timeout (TO3)")
  func interruptWinsOverDeadline() async throws {
    let record = try await runInterrupted(
      "timeout 0.05 { busy 0.3; sleep 0 }", after: .milliseconds(120)
    ) { $0.interrupt() }
    let why = OutcomeExplanation.explain(record.events)
    #expect(why.rule == "REPL1")
    #expect(
      why.summary.hasSuffix(
        "(REPL1); the deadline of timeout#1 had passed too, but outside cancellation wins (TO3)"))
    #expect(!why.lines.contains { $0.contains("caller was cancelled") }, "told once")
  }

  @Test("a stop signal cancels the run as Ctrl-C does, and is named (REPL1)")
  func stopSignal() async throws {
    let record = try await runInterrupted("scope A { sleep 30 }", after: .milliseconds(100)) {
      $0.terminate(signal: "SIGTERM")
    }
    let why = OutcomeExplanation.explain(record.events)
    #expect(why.outcome == "SIGTERM")
    #expect(why.rule == "REPL1")
    #expect(why.summary.hasPrefix("SIGTERM: the signal at 0."))
  }

  // MARK: - Enter and exit

  @Test("an enter that fails: body and exit never ran, the error went on (W1)")
  func enterFailed() async throws {
    let (_, why) = try await explainRun("scope A(fail-enter) { print x }")
    #expect(why.rule == "W1")
    #expect(
      why.summary
        == "EnterError: the enter of A#1 failed, so its body and exit never ran, and the error"
        + " went on unchanged (W1)")
  }

  @Test("a command that is not found: enter fails, nothing spawned (PR1, W1)")
  func commandNotFound() async throws {
    let (_, why) = try await explainRun("scope Z { process no-such-command-xyz { wait } }")
    #expect(why.outcome == "FileNotFoundError")
    #expect(why.rule == "PR1")
    #expect(why.summary.contains("the enter of process#1 failed ("))
    #expect(why.summary.contains("'no-such-command-xyz'"))
    #expect(
      why.summary.hasSuffix("so nothing was spawned, and its body and exit never ran (PR1, W1)"))
    #expect(why.lines == ["then it went through Z#1: its exit ran and let it go on (W2)"])
  }

  @Test("an exit that raises while an error is in flight replaces it (W3)")
  func exitRaised() async throws {
    let (_, why) = try await explainRun("scope A(throw-exit) { throw KeyError }")
    #expect(why.outcome == "ExitError")
    #expect(why.rule == "W3")
    #expect(
      why.summary
        == "ExitError: the exit of A#1 raised it while KeyError was in flight; the new error"
        + " replaces KeyError, which the trace keeps as context (W3)")
  }

  @Test("a refused suppress of a cancellation is told, under the timeout's TO3 (W4)")
  func refusedSuppress() async throws {
    let (_, why) = try await explainRun("timeout 0.05 { scope A(suppress) { sleep 5 } }")
    #expect(why.rule == "TO3")
    #expect(
      why.lines == [
        "the exit of A#1 asked to suppress the cancellation: refused, since no scope may"
          + " suppress a cancellation it did not cause (W4)"
      ])
  }

  @Test("a thrown error through two scopes, innermost first (W3)")
  func thrownThroughScopes() async throws {
    let (_, why) = try await explainRun("scope A { scope B { throw KeyError } }")
    #expect(why.rule == "W3")
    #expect(why.summary.hasPrefix("KeyError: the program threw it inside B#1 at 0."))
    #expect(
      why.summary.hasSuffix(
        "and no exit suppressed it: it went through B#1 and A#1 and ended the run (W3)"))
  }

  @Test("a thrown error with no scope around it: nothing to name")
  func thrownOutside() async throws {
    let (_, why) = try await explainRun("throw KeyError")
    #expect(why.rule == nil)
    #expect(why.summary == "KeyError: the program threw it outside any scope, so no exit saw it")
  }

  // MARK: - Groups

  @Test("a group's first failure, and the later one as context (TG3, TG5)")
  func groupFirstFailure() async throws {
    let (_, why) = try await explainRun(
      "group { task { sleep 0.05; throw KeyError }; task { busy 0.3; throw ValueError } }")
    #expect(why.outcome == "KeyError")
    #expect(why.rule == "TG3")
    #expect(why.summary.hasPrefix("KeyError: task#1 of group#1 failed first at 0."))
    #expect(why.summary.contains("then threw that first error (TG3)"))
    #expect(why.summary.hasSuffix("; the later failures are context: ValueError"))
    #expect(why.lines.contains { $0.hasPrefix("task#2 kept group#1 open until 0.") })
  }

  @Test("a group cancelled by an outer timeout, kept open by a busy task (TO3, TG4, TG5)")
  func groupCancelledByTimeout() async throws {
    let (_, why) = try await explainRun(
      "timeout 0.1 { group { task { busy 0.4 }; task { sleep 5 } } }")
    #expect(why.rule == "TO3")
    #expect(why.summary.contains("while task#1 and task#2 were running"))
    #expect(why.lines.contains { $0.hasPrefix("task#1 kept group#1 open until 0.") })
    #expect(why.lines.contains { $0.hasPrefix("group#1 was cancelled from outside") })
    #expect(why.lines.allSatisfy { !$0.contains("task#2 kept") }, "task#2 was asleep")
  }

  @Test("a failing task under a timeout: TG3, then through the timeout")
  func groupFailureUnderTimeout() async throws {
    let (_, why) = try await explainRun(
      "timeout 1 { group { task { sleep 3 }; task { sleep 0.1; throw KeyError } } }")
    #expect(why.rule == "TG3")
    #expect(why.summary.hasPrefix("KeyError: task#2 of group#1 failed first at 0."))
    #expect(why.lines == ["then it went through timeout#1: its exit ran and let it go on (W2)"])
  }

  // MARK: - Traces by hand

  @Test("a trace without a result line has no outcome to explain")
  func noResult() {
    let why = OutcomeExplanation.explain([
      TraceEvent(
        time: .zero, scope: ScopeIdentity(name: "A", id: "A#1", depth: 0), depth: 0,
        kind: .enter)
    ])
    #expect(why.summary == "no outcome: the trace has no result line")
    #expect(why.rule == nil)
  }

  @Test("the text of why: the summary, then each line indented")
  func text() {
    let why = Explanation(outcome: "ok", rule: "W2", summary: "ok: one", lines: ["two", "three"])
    #expect(why.text == "ok: one\n  two\n  three")
  }
}
