import AsyncScope
import TestSupport
import Testing

@testable import ScopeLab

/// `run`, `trace`, `timeline` and Ctrl-C in a session. The runs are on a clock the tests
/// move (``ManualClock``): a deadline passes when a test says, so the trace's times are
/// exact and a busy machine changes nothing.
@Suite("Session runs")
struct SessionRunTests {
  // MARK: - run

  @Test("run with no program and no lesson is one line of error")
  func runNothing() async {
    let harness = SessionHarness(clock: ManualClock())
    let reply = await harness.execute("run")
    reply.expectOneLineError(containing: "no program to run")
    #expect(harness.session.lastRun.isEmpty)
  }

  @Test("run PROGRAM prints the trace live, the outcome last, then the timeline")
  func runProgram() async {
    let clock = ManualClock()
    let harness = SessionHarness(clock: clock)
    let reply = await harness.execute(
      #"run timeout 2 { sleep 0.1; print "done" }; print "after""#
    ) {
      // The deadline's timer and the sleep wait; the sleep ends first.
      await clock.sleeping(2)
      clock.advance(by: .milliseconds(100))
    }
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty)
    #expect(
      reply.traceLines.map { $0.trimmingPrefix(while: { $0 == " " }) } == [
        "0.000s  enter timeout#1", "0.100s    done", "0.100s  exit timeout#1 (received none)",
        "0.100s  exit-done timeout#1", "0.100s  after", "0.100s  => ok",
      ])
    #expect(reply.timelineLines.count >= 3)
    #expect(reply.timelineLines.contains { $0.hasPrefix("timeout#1") })
    #expect(harness.session.lastRun.count == 6)
  }

  @Test("a run ending in TimeoutError is a run outcome, not invalid input")
  func runTimeout() async {
    let clock = ManualClock()
    let harness = SessionHarness(clock: clock)
    let reply = await harness.execute("run timeout 0.1 { sleep 5 }") {
      await clock.sleeping(2)
      clock.advance(by: .milliseconds(100))
    }
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty)
    #expect(reply.traceLines.last?.contains("TimeoutError") == true)
    #expect(reply.traceLines.contains { $0.contains("fired timeout#1") })
  }

  @Test("a parse error is invalid input: the message, the program line and a caret")
  func runParseError() async throws {
    let harness = SessionHarness(clock: ManualClock())
    let reply = await harness.execute("run timeout 2 { sleeep 1 }")
    #expect(reply.result == .invalid)
    #expect(reply.output.isEmpty)
    #expect(harness.session.lastRun.isEmpty)
    let lines = reply.errorLines
    try #require(lines.count == 3)
    #expect(lines[0].hasPrefix("error: "))
    #expect(lines[0].contains("did you mean 'sleep'?"))
    #expect(lines[1] == " 1 | timeout 2 { sleeep 1 }")
    let caret = try #require(lines[2].firstIndex(of: "^"))
    let word = try #require(lines[1].firstRange(of: "sleeep"))
    #expect(
      lines[2].distance(from: lines[2].startIndex, to: caret)
        == lines[1].distance(from: lines[1].startIndex, to: word.lowerBound))
  }

  @Test(
    "programs that cannot run are invalid input before anything runs",
    arguments: ["run sleep $slep", "run timeout 2 {", "run wait", "run sleep nan"])
  func runInvalid(_ line: String) async {
    let harness = SessionHarness(clock: ManualClock())
    let reply = await harness.execute(line)
    #expect(reply.result == .invalid)
    #expect(reply.output.isEmpty)
    #expect(reply.errors.hasPrefix("error: "))
    #expect(harness.session.lastRun.isEmpty)
  }

  @Test("run uses the parameters as set: a longer sleep than the timeout gives TimeoutError")
  func runWithChangedParameters() async {
    let clock = ManualClock()
    let harness = SessionHarness(clock: clock)
    _ = await harness.execute("set timeout 200ms")
    _ = await harness.execute("set sleep 0.05")
    let quick = await harness.execute(#"run timeout $timeout { sleep $sleep; print "done" }"#) {
      await clock.sleeping(2)
      #expect(clock.pendingDeadlines == [.milliseconds(50), .milliseconds(200)])
      clock.advance(by: .milliseconds(50))
    }
    #expect(quick.traceLines.contains { $0.hasSuffix("  done") })
    #expect(quick.traceLines.last?.hasSuffix("  => ok") == true)

    _ = await harness.execute("set sleep 3")
    let slow = await harness.execute("run timeout $timeout { sleep $sleep }") {
      await clock.sleeping(2)
      let start = clock.now.offset
      #expect(clock.pendingDeadlines == [start + .milliseconds(200), start + .seconds(3)])
      clock.advance(by: .milliseconds(200))
    }
    #expect(slow.result == .done)
    #expect(slow.traceLines.last?.contains("TimeoutError") == true)
    #expect(
      slow.traceLines.contains { $0.hasPrefix("  0.200s    fired timeout#1: deadline passed") },
      "the 200ms timeout cut the 3s sleep short: \(slow.traceLines)")
  }

  @Test("scopelab run takes the same clock: its deadline fires when the clock passes it")
  func runCommandOnAClock() async {
    let clock = ManualClock()
    var core = RunCommandCore(source: "timeout 0.1 { sleep 5 }", timeline: true)
    core.clock = clock
    let output = CapturedOutput()
    let driver = Task {
      await clock.sleeping(2)
      let waiting = clock.pendingDeadlines
      clock.advance(by: .milliseconds(100))
      return waiting
    }
    let status = await core.run(output: output, errors: CapturedOutput())
    driver.cancel()
    // The deadline's timer and the sleep waited on this clock, not on the real one.
    #expect(await driver.value == [.milliseconds(100), .seconds(5)])
    #expect(status == 1, "TimeoutError: \(output.text)")
    #expect(output.text.contains("  0.100s    fired timeout#1: deadline passed"), "\(output.text)")
    #expect(output.text.contains("\ntimeline "), "\(output.text)")
  }

  // MARK: - trace and timeline

  @Test("trace reprints the last run's trace and timeline redraws its picture")
  func traceAndTimeline() async {
    let harness = SessionHarness(clock: ManualClock())
    let run = await harness.execute("run scope A { scope B { print body } }")
    let trace = await harness.execute("trace")
    #expect(trace.result == .done)
    #expect(trace.outputLines == run.traceLines)
    let timeline = await harness.execute("timeline")
    #expect(timeline.result == .done)
    #expect(timeline.outputLines == run.timelineLines)

    let failed = await harness.execute("run timeout 2 {")
    #expect(failed.result == .invalid)
    let again = await harness.execute("trace")
    #expect(again.outputLines == run.traceLines, "a program that did not parse replaces nothing")
  }

  // MARK: - Ctrl-C

  @Test("Ctrl-C during a run ends it promptly with KeyboardInterrupt; the session carries on")
  func interruptRun() async throws {
    let clock = ManualClock()
    let harness = SessionHarness(clock: clock)
    let controller = harness.session.controller
    // Pressed once the run is under way, as a person would: its deadline and its sleep
    // wait, and the clock never moves.
    let reply = await harness.execute("run timeout 10 { sleep 30 }") {
      await clock.sleeping(2)
      controller.interrupt()
    }
    #expect(clock.now == ManualClock.Instant(), "the interrupt ended the run, not a deadline")
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty)
    #expect(reply.traceLines.last?.hasSuffix("  => KeyboardInterrupt") == true)
    let interrupt = try #require(
      reply.traceLines.firstIndex {
        $0.hasSuffix(
          "  interrupt: Ctrl-C (SIGINT) - cancelling the run; every exit still runs; a third quits")
      })
    let exit = try #require(
      reply.traceLines.firstIndex { $0.contains("exit timeout#1 (received CancellationError)") })
    #expect(interrupt < exit, "the interrupt is told where it arrived: \(reply.traceLines)")
    #expect(
      reply.traceLines.contains { $0.hasSuffix("exit-done timeout#1: CancellationError goes on") },
      "not expired, so the timeout does not convert")
    #expect(reply.timelineLines.contains { $0.hasPrefix("timeout#1") })

    let next = await harness.execute("run print ok")
    #expect(next.result == .done)
    #expect(
      next.traceLines.map { $0.drop { $0 == " " }.drop { $0 != " " }.dropFirst(2) } == [
        "ok", "=> ok",
      ])
  }
}
