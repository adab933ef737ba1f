import AsyncScope
import Glibc
import TestSupport
import Testing

@testable import ScopeLab

/// The audit line after every REPL run: every exit ran once (W2), every runner flag is false
/// again (RUNNER), no child process is left (PR2) - or, loudly, what is wrong.
@Suite("The audit after a run", .serialized)
struct RunAuditTests {
  // MARK: - Real runs: clean

  @Test("a timeout over a runner over a process: every check holds, in one line")
  func cleanRun() async throws {
    // The deadline is armed before the child is spawned: the clock moves once it runs, so
    // a slow spawn cannot meet the deadline (the enter would fail, one exit fewer).
    let clock = ManualClock()
    let run = try await runProgram(
      "timeout 0.2 { runner { process sleep 10 { wait } } }", on: clock
    ) { trace in
      try await trace.waitFor("process#1") {
        if case .started = $0 { return true }
        return false
      }
      clock.advance(by: .milliseconds(200))
    }
    #expect(run.outcome.name == "TimeoutError")
    let report = RunAudit.audit(run.events)
    #expect(report.isClean, "\(report.problems)")
    #expect(
      report.line
        == "audit: ok - 3 exits ran once each, running=false again, no child process left")
  }

  @Test("the lines of simpler runs: only what applies")
  func cleanLines() async throws {
    #expect(RunAudit.audit(try await runProgram("print hi").events).line == "audit: ok - no scopes")
    #expect(
      RunAudit.audit(try await runProgram("scope A { print x }").events).line
        == "audit: ok - 1 exit ran once")
    #expect(
      RunAudit.audit(try await runProgram("scope A(fail-enter) { print x }").events).line
        == "audit: ok - no exit after the failed enter")
    #expect(
      RunAudit.audit(try await runProgram("scope Z { process no-such-command-xyz { } }").events)
        .line == "audit: ok - 1 exit ran once, no exit after the failed enter")
  }

  @Test("a group's tasks are scopes too: each owes an exit")
  func groupRun() async throws {
    // task#2's error cancels task#1's sleep: the clock never moves.
    let run = try await runProgram(
      "group { task { sleep 0.05 }; task { throw KeyError } }", on: ManualClock()
    ) { _ in }
    #expect(RunAudit.audit(run.events).line == "audit: ok - 3 exits ran once each")
  }

  // MARK: - Broken traces, by hand

  private static let scopeA = ScopeIdentity(name: "A", id: "A#1", depth: 0)
  private static let runner = ScopeIdentity(name: "runner", id: "runner#1", depth: 1)
  private static let process = ScopeIdentity(name: "process", id: "process#1", depth: 1)

  private static func event(_ scope: ScopeIdentity?, _ kind: TraceEvent.Kind) -> TraceEvent {
    TraceEvent(time: .zero, scope: scope, depth: scope?.depth ?? 0, kind: kind)
  }

  private static let result = event(
    nil, .result(outcome: "ok", value: nil, context: nil, detail: nil))

  @Test("an exit missing, a flag left true, a child never reaped: WRONG, each with its rule")
  func brokenTrace() {
    let events = [
      Self.event(Self.scopeA, .enter),
      Self.event(Self.runner, .enter),
      Self.event(Self.runner, .flag(name: "running", value: true)),
      Self.event(Self.runner, .exit(error: nil, expired: nil)),
      Self.event(Self.runner, .exitDone(error: nil, step: nil)),
      Self.event(Self.process, .enter),
      Self.event(Self.process, .started(pid: 4_000_001, command: "sleep 10")),
      Self.event(Self.process, .exit(error: nil, expired: nil)),
      Self.event(Self.process, .exitDone(error: nil, step: nil)),
      Self.result,
    ]
    let report = RunAudit.audit(events) { _ in nil }
    #expect(!report.isClean)
    #expect(
      report.line
        == "audit: WRONG - A#1 never exited (W2); runner#1 left running=true (RUNNER);"
        + " pid 4000001 has no reaped line (PR2)")
  }

  @Test("an exit that ran twice, one that never returned, one without an enter (W1, W2)")
  func exitCounts() {
    let scopeB = ScopeIdentity(name: "B", id: "B#1", depth: 1)
    let failed = ScopeIdentity(name: "C", id: "C#1", depth: 1)
    let ghost = ScopeIdentity(name: "D", id: "D#1", depth: 0)
    let events = [
      Self.event(Self.scopeA, .enter),
      Self.event(scopeB, .enter),
      Self.event(scopeB, .exit(error: nil, expired: nil)),
      Self.event(failed, .enter),
      Self.event(failed, .enterFailed(error: "EnterError")),
      Self.event(failed, .exit(error: "EnterError", expired: nil)),
      Self.event(Self.scopeA, .exit(error: nil, expired: nil)),
      Self.event(Self.scopeA, .exitDone(error: nil, step: nil)),
      Self.event(Self.scopeA, .exit(error: nil, expired: nil)),
      Self.event(Self.scopeA, .exitDone(error: nil, step: nil)),
      Self.event(ghost, .exit(error: nil, expired: nil)),
    ]
    let report = RunAudit.audit(events) { _ in nil }
    #expect(
      report.problems == [
        "A#1 exited 2 times (W2)", "A#1's exit returned 2 times (W2)",
        "B#1's exit never returned (W2)", "C#1 exited after its enter failed (W1)",
        "D#1 exited without entering (W2)", "the trace has no result line",
      ])
  }

  @Test("what the operating system says of a child outranks the trace's reaped line (PR2)")
  func leftoverWordings() {
    let events = [
      Self.event(Self.process, .enter),
      Self.event(Self.process, .started(pid: 77, command: "sleep 10")),
      Self.event(Self.process, .reaped(pid: 77)),
      Self.event(Self.process, .reaped(pid: 77)),
      Self.event(Self.process, .exit(error: nil, expired: nil)),
      Self.event(Self.process, .exitDone(error: nil, step: nil)),
      Self.result,
    ]
    #expect(
      RunAudit.audit(events) { _ in .unreaped }.problems == [
        "pid 77 was never reaped: it still runs or is a zombie (PR2)"
      ])
    #expect(
      RunAudit.audit(events) { _ in .liveGroupMember }.problems == [
        "pid 77's process group still has a live process (PR2)", "pid 77 was reaped 2 times (PR2)",
      ])
  }

  @Test("a process that escaped its child's group and outlived the run is a leftover (PR2)")
  func strays() {
    let events = [
      Self.event(Self.process, .enter),
      Self.event(Self.process, .started(pid: 77, command: "sh -c 'setsid sleep 30 &'")),
      Self.event(Self.process, .reaped(pid: 77)),
      Self.event(Self.process, .exit(error: nil, expired: nil)),
      Self.event(Self.process, .exitDone(error: nil, step: nil)),
      Self.result,
    ]
    let stray = ProcessOrphans.Stray(pid: 78, command: "sleep\u{1B}[2J")
    let report = RunAudit.audit(events, leftover: { _ in nil }, strays: [stray])
    #expect(
      report.problems == [
        "pid 78 (sleep\\u{1B}[2J) left its process group and outlived the run: killed (PR2)"
      ])
    #expect(!report.checks.contains("no child process left"), "\(report.checks)")
    #expect(
      RunAudit.audit(events, leftover: { _ in nil }).line
        == "audit: ok - 1 exit ran once, no child process left")
  }

  @Test("a child that really is still running: the OS check finds it, and loses it once reaped")
  func liveChild() throws {
    let child = try PipedProcess(executable: "/bin/sleep", arguments: ["30"], environment: [:])
    let events = [
      Self.event(Self.process, .enter),
      Self.event(Self.process, .started(pid: child.pid, command: "sleep 30")),
      Self.event(Self.process, .reaped(pid: child.pid)),
      Self.event(Self.process, .exit(error: nil, expired: nil)),
      Self.event(Self.process, .exitDone(error: nil, step: nil)),
      Self.result,
    ]
    let report = RunAudit.audit(events)
    #expect(
      report.line
        == "audit: WRONG - pid \(child.pid) was never reaped: it still runs or is a zombie (PR2)")
    child.signal(SIGKILL)
    #expect(child.waitForExit() != nil)
    #expect(RunAudit.audit(events).line == "audit: ok - 1 exit ran once, no child process left")
  }

  @Test("WRONG is loud in colour; ok is plain")
  func colours() {
    let palette = Palette(enabled: true)
    let wrong = AuditReport(checks: [], problems: ["A#1 never exited (W2)"])
    #expect(wrong.rendered(palette: palette) == palette.error(palette.bold(wrong.line)))
    #expect(wrong.rendered(palette: palette).contains("\u{1B}[31m"))
    let clean = AuditReport(checks: ["1 exit ran once"], problems: [])
    #expect(clean.rendered(palette: palette) == "audit: ok - 1 exit ran once")
  }
}
