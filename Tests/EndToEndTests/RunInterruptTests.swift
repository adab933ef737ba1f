import Glibc
import TestSupport
import Testing

/// Ctrl-C (SIGINT) and SIGTERM during `scopelab run`, and the trace arriving live
/// (Lessons/rules.md REPL1, PR2; DESIGN.md "Contract: the trace").
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RunInterruptTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  /// Waits for the `started pid N` line; the child's pid and process group.
  private func startedChild(of process: PipedProcess) throws -> (pid: pid_t, group: pid_t) {
    try process.expectOutput("started pid ")
    let rest = try process.expectOutput(":")
    let pid = try #require(pid_t(rest.dropLast()), "no pid in \(rest.debugDescription)")
    let entry = try #require(ProcessTable.entry(pid), "child \(pid) is not running")
    #expect(entry.parent == process.pid, "the child is scopelab's: \(entry)")
    #expect(entry.group == pid, "the child leads its own process group: \(entry)")
    return (pid, entry.group)
  }

  /// Checks that nothing of the child is left: not the process, not its group.
  private func expectNothingLeft(_ child: (pid: pid_t, group: pid_t), of scopelab: pid_t) {
    let left = ProcessTable.waitUntilGone(pids: [child.pid], groups: [child.group])
    #expect(left.isEmpty, "left behind: \(left)")
    #expect(ProcessTable().children(of: scopelab).isEmpty)
  }

  // MARK: - Ctrl-C

  @Test func controlCCancelsTheRunRunsEveryExitAndExits130() throws {
    let process = try scopelab.start(["run", "timeout 10 { process sleep 30 { wait } }"])
    let child = try startedChild(of: process)
    process.signal(SIGINT)
    let ended = process.waitForExit(timeout: 10)
    #expect(ended == .exited(130), "stdout: \(process.outputText) stderr: \(process.errorText)")
    let output = process.outputText
    #expect(
      output.containsInOrder([
        "interrupt: Ctrl-C (SIGINT) - cancelling the run; every exit still runs",
        "exit process#1 (received CancellationError)",
        "signal SIGTERM to the group of pid \(child.pid)",
        "status pid \(child.pid) signaled(15)",
        "reaped pid \(child.pid)",
        "exit timeout#1 (received CancellationError)",
      ]), "\(output)")
    let last = output.split(separator: "\n").last.map(String.init) ?? ""
    #expect(last.hasSuffix("  => KeyboardInterrupt"), "last line: \(last)")
    #expect(!output.contains("TimeoutError"), "\(output)")
    expectNothingLeft(child, of: process.pid)
  }

  @Test func aSecondControlCKillsAChildThatIgnoresSIGTERMAtOnce() throws {
    let program = "process sh -c 'trap \"\" TERM; echo armed; sleep 30' { wait }"
    let process = try scopelab.start(["run", program, "--set", "grace=20"])
    let child = try startedChild(of: process)
    try process.expectOutput("stdout | armed")
    let start = PseudoTerminal.now()
    process.signal(SIGINT)
    try process.expectOutput("signal SIGTERM to the group of pid \(child.pid)")
    usleep(300_000)
    #expect(process.isRunning, "the grace period holds the teardown")
    process.signal(SIGINT)
    let ended = process.waitForExit(timeout: 15)
    let elapsed = PseudoTerminal.now() - start
    #expect(ended == .exited(130), "stdout: \(process.outputText) stderr: \(process.errorText)")
    #expect(elapsed < 10, "the second Ctrl-C skips the 20 s grace: took \(elapsed)s")
    let output = process.outputText
    #expect(output.contains("signal SIGKILL to the group of pid \(child.pid)"), "\(output)")
    #expect(
      output.containsInOrder([
        "interrupt: Ctrl-C (SIGINT) - cancelling the run; every exit still runs; a third quits",
        "interrupt: Ctrl-C again - a process teardown skips the rest of its grace period",
        "signaled(9)", "reaped pid \(child.pid)", "=> KeyboardInterrupt",
      ]),
      "\(output)")
    #expect(output.containsInOrder(["signal SIGKILL", "signaled(9)"]), "\(output)")
    expectNothingLeft(child, of: process.pid)
  }

  @Test func oneControlCWaitsTheGracePeriodBeforeSIGKILL() throws {
    let program = "process sh -c 'trap \"\" TERM; echo armed; sleep 30' { wait }"
    let process = try scopelab.start(["run", program, "--set", "grace=1"])
    let child = try startedChild(of: process)
    try process.expectOutput("stdout | armed")
    let start = PseudoTerminal.now()
    process.signal(SIGINT)
    try process.expectOutput("signal SIGTERM")
    try process.expectOutput("signal SIGKILL")
    let elapsed = PseudoTerminal.now() - start
    #expect(elapsed >= 0.95, "SIGKILL only after the grace period: \(elapsed)s")
    #expect(process.waitForExit(timeout: 10) == .exited(130), "\(process.outputText)")
    expectNothingLeft(child, of: process.pid)
  }

  @Test(arguments: [SIGTERM, SIGHUP])
  func aStopSignalCancelsTheRunRunsItsExitsAndExitsWith128PlusIt(_ number: Int32) throws {
    let process = try scopelab.start(["run", "runner { process sleep 30 { wait } }"])
    let child = try startedChild(of: process)
    process.signal(number)
    let ended = process.waitForExit(timeout: 10)
    #expect(ended == .exited(128 + number), "\(String(describing: ended))")
    let name = number == SIGTERM ? "SIGTERM" : "SIGHUP"
    #expect(
      process.outputText.containsInOrder([
        "interrupt: \(name) - cancelling the run", "exit process#1", "reaped pid \(child.pid)",
        "exit runner#1", "running=false", "=> \(name)\n",
      ]), "\(process.outputText)")
    #expect(!process.outputText.contains("KeyboardInterrupt"), "\(process.outputText)")
    expectNothingLeft(child, of: process.pid)
  }

  @Test(arguments: [SIGINT, SIGTERM])
  func anInterruptIsAnEventAndNamesTheOutcomeInJSONL(_ number: Int32) throws {
    let process = try scopelab.start([
      "run", "scope A { process sleep 30 { wait } }", "--trace-format", "jsonl",
    ])
    try process.expectOutput("\"event\":\"started\"")
    process.signal(number)
    let status = number == SIGINT ? 130 : 128 + number
    #expect(process.waitForExit(timeout: 10) == .exited(status), "\(process.errorText)")
    let signal = number == SIGINT ? "SIGINT" : "SIGTERM"
    let outcome = number == SIGINT ? "KeyboardInterrupt" : "SIGTERM"
    let lines = process.outputText.split(separator: "\n").map(String.init)
    let interrupt = try #require(lines.firstIndex { $0.contains(#""event":"interrupt""#) })
    // The run's own events are the main task's (1).
    #expect(
      lines[interrupt].hasSuffix(#","event":"interrupt","task":1,"signal":""# + signal + #""}"#))
    let exit = try #require(lines.firstIndex { $0.contains(#""event":"exit","#) })
    #expect(interrupt < exit, "the signal is traced where it arrived: \(lines)")
    #expect(
      lines.last?.hasSuffix(
        #""event":"result","task":1,"outcome":""# + outcome + #"","error":""# + outcome
          + #"","value":null,"context":null}"#) == true, "\(lines)")
  }

  @Test func controlCDuringAGroupEndsEveryTaskAndEveryChild() throws {
    let program = "group { task { process sleep 30 { wait } }; task { process sleep 31 { wait } } }"
    let process = try scopelab.start(["run", program])
    let first = try startedChild(of: process)
    let second = try startedChild(of: process)
    process.signal(SIGINT)
    let ended = process.waitForExit(timeout: 10)
    #expect(ended == .exited(130), "\(process.outputText) \(process.errorText)")
    let output = process.outputText
    for child in [first, second] {
      #expect(output.contains("reaped pid \(child.pid)"), "\(output)")
    }
    #expect(
      output.containsInOrder([
        "interrupt: Ctrl-C (SIGINT)", "exit group#1 (received", "=> KeyboardInterrupt",
      ]), "\(output)")
    #expect(output.split(separator: "\n").filter { $0.contains("exit-done task#") }.count == 2)
    expectNothingLeft(first, of: process.pid)
    expectNothingLeft(second, of: process.pid)
  }

  // MARK: - Bodies that never suspend

  @Test func aThirdControlCQuitsABodyThatNeverSuspendsAndLeavesNoChild() throws {
    let program = "process sh -c 'trap \"\" TERM; echo armed; sleep 30' { busy 30 }"
    let process = try scopelab.start(["run", program])
    let child = try startedChild(of: process)
    try process.expectOutput("stdout | armed")
    let start = PseudoTerminal.now()
    for _ in 0..<3 {
      process.signal(SIGINT)
      usleep(200_000)
    }
    let ended = process.waitForExit(timeout: 10)
    #expect(ended == .exited(130), "\(process.outputText) \(process.errorText)")
    #expect(PseudoTerminal.now() - start < 5, "busy 30 was not waited for")
    #expect(process.errorText.contains("third Ctrl-C - quitting now"), "\(process.errorText)")
    // The body never suspends, so no teardown has begun: the second press cuts nothing
    // short and says what it does; the third is said to quit once.
    let output = process.outputText
    #expect(
      output.containsInOrder([
        "interrupt: Ctrl-C (SIGINT)", "interrupt: Ctrl-C again - press once more to quit at once",
        "interrupt: Ctrl-C a third time\n",
      ]), "\(output)")
    #expect(!output.contains("grace period"), "\(output)")
    let lines = (output + process.errorText).split(separator: "\n")
    #expect(
      lines.filter { $0.contains("quitting now") }.count == 1,
      "said once: \(output) \(process.errorText)")
    expectNothingLeft(child, of: process.pid)
  }

  @Test func sigtermEndsARunThatCannotBeCancelledWithinSeconds() throws {
    let process = try scopelab.start(["run", "print started; busy 30"])
    try process.expectOutput("started")
    let start = PseudoTerminal.now()
    process.signal(SIGTERM)
    let ended = process.waitForExit(timeout: 20)
    let elapsed = PseudoTerminal.now() - start
    #expect(ended == .exited(143), "\(String(describing: ended)) \(process.errorText)")
    #expect(elapsed >= 4 && elapsed < 15, "the watchdog gives the run 5 s: took \(elapsed)s")
    #expect(process.errorText.contains("the run did not stop"), "\(process.errorText)")
  }

  // MARK: - Nobody reading

  @Test func aClosedOutputPipeEndsTheRunWithEveryExitAndLeavesNoChild() throws {
    // `scopelab run ... | head -1`: SIGPIPE would kill scopelab and orphan the child.
    // The child ticks, so scopelab writes again soon after the reader has gone.
    let program = "process sh -c 'while true; do echo tick; sleep 0.2; done' { wait }"
    let process = try scopelab.start(["run", program])
    let child = try startedChild(of: process)
    process.closeOutput()
    let ended = process.waitForExit(timeout: 10)
    #expect(ended == .exited(128 + SIGPIPE), "\(String(describing: ended)) \(process.errorText)")
    expectNothingLeft(child, of: process.pid)
  }

  // MARK: - Live output

  @Test func aLinePrintedAtTheStartArrivesBeforeTheRunEnds() throws {
    let process = try scopelab.start(["run", "print early; sleep 2; print late"])
    let start = PseudoTerminal.now()
    try process.expectOutput("early", timeout: 10)
    let elapsed = PseudoTerminal.now() - start
    #expect(elapsed < 1.5, "'early' took \(elapsed)s")
    #expect(process.isRunning, "the run is still sleeping")
    #expect(!process.outputText.contains("late"))
    try process.expectOutput("late")
    #expect(process.waitForExit() == .exited(0))
  }

  @Test func aChildsOutputArrivesAsItIsWritten() throws {
    let program = "process sh -c 'echo one; sleep 2; echo two' { wait }"
    let process = try scopelab.start(["run", program])
    try process.expectOutput("stdout | one", timeout: 10)
    #expect(process.isRunning)
    #expect(!process.outputText.contains("stdout | two"))
    try process.expectOutput("stdout | two")
    #expect(process.waitForExit() == .exited(0))
  }

  @Test func theJSONLTraceIsFlushedPerEvent() throws {
    let process = try scopelab.start([
      "run", "print early; sleep 2; print late", "--trace-format", "jsonl",
    ])
    try process.expectOutput("\"text\":\"early\"", timeout: 10)
    #expect(process.isRunning)
    #expect(process.waitForExit() == .exited(0))
  }
}
