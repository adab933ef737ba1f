import AsyncScope
import LineEditor
import TestSupport
import Testing

@testable import ScopeLab

/// The REPL's side: an audit line after every run, and `why` for the last one. The runs are
/// on a clock the tests move: their deadlines fire when a test says, not when a busy
/// machine happens to get there.
@Suite("Session: audit and why")
struct SessionWhyTests {
  @Test("every run ends with exactly one audit line, after the timeline")
  func auditAfterRun() async {
    let harness = SessionHarness(clock: ManualClock())
    let reply = await harness.execute("run runner { scope A { print x } }")
    #expect(reply.result == .done)
    #expect(reply.auditLine == "audit: ok - 2 exits ran once each, running=false again")
    #expect(reply.outputLines.filter { $0.hasPrefix("audit:") }.count == 1)
    #expect(reply.timelineLines.first?.hasPrefix("timeline") == true)
    #expect(!reply.timelineLines.contains { $0.hasPrefix("audit") })
  }

  @Test("a run with no scope: no timeline, still one audit line")
  func auditWithoutScope() async {
    let reply = await SessionHarness(clock: ManualClock()).execute("print hi")
    #expect(reply.outputLines.suffix(2) == ["  0.000s  => ok", "audit: ok - no scopes"])
  }

  @Test("a run that ends in an error is audited too, and the audit is not an error")
  func auditAfterError() async {
    // The deadline is armed once the child is running, and the clock moves only then: the
    // spawn takes what real time it takes, and the deadline fires during `wait`.
    let clock = ManualClock()
    let reply = await SessionHarness(clock: clock).execute(
      "process sleep 10 { timeout 0.05 { wait } }"
    ) {
      await clock.sleeping(1)
      clock.advance(by: .milliseconds(50))
    }
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty)
    #expect(
      reply.traceLines.last?.hasSuffix(
        "0.050s  => TimeoutError: timeout(50ms) expired after 0.050s")
        == true, "\(reply.output)")
    #expect(reply.auditLine == "audit: ok - 2 exits ran once each, no child process left")
  }

  @Test("a program that does not parse runs nothing and prints no audit")
  func noAuditForInvalid() async {
    let reply = await SessionHarness(clock: ManualClock()).execute("run timeout 2 {")
    #expect(reply.result == .invalid)
    #expect(reply.auditLine == nil)
  }

  @Test("why before any run is one line of error, as trace is")
  func whyBeforeRun() async {
    let reply = await SessionHarness(clock: ManualClock()).execute("why")
    reply.expectOneLineError(containing: "nothing has run yet: try 'run'")
  }

  @Test("why takes no arguments")
  func whyArguments() async {
    let harness = SessionHarness(clock: ManualClock())
    _ = await harness.execute("print hi")
    await harness.execute("why not").expectOneLineError(containing: "'why' takes no arguments")
  }

  @Test("why explains the last run: its summary first, the rule named, then its lines")
  func whyAfterRun() async {
    // What why says, not how it is fitted to a screen (ScreenFitTests).
    let clock = ManualClock()
    let harness = SessionHarness(textWidth: 10_000, clock: clock)
    _ = await harness.execute("timeout 5 { timeout 0.05 { sleep 5 } }") {
      // Both deadlines' timers and the sleep wait; the inner deadline passes.
      await clock.sleeping(3)
      clock.advance(by: .milliseconds(50))
    }
    let reply = await harness.execute("why")
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty)
    let explanation = OutcomeExplanation.explain(harness.session.lastRun)
    #expect(reply.outputLines == [explanation.summary] + explanation.lines.map { "  " + $0 })
    #expect(reply.outputLines.first?.hasPrefix("TimeoutError: the deadline of timeout#2") == true)
    #expect(reply.outputLines.first?.hasSuffix("(TO3)") == true)
    #expect(
      reply.outputLines.contains("  timeout#1 had not expired, so it let TimeoutError go on (TO5)"))
  }

  @Test("why still explains the last run after a command that ran nothing")
  func whyAfterInvalid() async {
    let harness = SessionHarness(clock: ManualClock())
    _ = await harness.execute("scope A(fail-enter) { print x }")
    _ = await harness.execute("run timeout 2 {")
    let reply = await harness.execute("why")
    #expect(reply.outputLines.first?.hasPrefix("EnterError: the enter of A#1 failed") == true)
  }

  @Test("why is a command: help explains it, Tab completes it")
  func whyIsACommand() async {
    let help = await SessionHarness(clock: ManualClock()).execute("help why")
    #expect(help.outputLines.first == "usage: why")
    #expect(help.output.contains("audit:"))
    let completion = SessionCompletion(parameterNames: [])
    #expect(
      completion.candidates(for: CompletionRequest(textBeforeCursor: "wh")) == ["where", "why"])
  }
}
