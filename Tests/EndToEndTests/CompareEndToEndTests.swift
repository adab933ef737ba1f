import Glibc
import TestSupport
import Testing

/// `scopelab compare`, run as a process: exit 0 when the traces agree, 1 when they differ;
/// Ctrl-C and SIGTERM stop both sides, and no process of either outlives it.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CompareEndToEndTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  @Test("a program both runs agree on")
  func agree() throws {
    let run = try scopelab.run(["compare", "scope A { print body }"])
    #expect(run.status == 0, "\(run)")
    #expect(run.output.hasSuffix("\nagree\n"))
  }

  @Test("names that are no Python identifiers agree, each traced under its own name")
  func namesThatAreNoIdentifiers() throws {
    let run = try scopelab.run(["compare", "throw Key-Error"])
    #expect(run.status == 0, "\(run)")
    #expect(run.output.hasSuffix("\nagree\n"), "\(run)")
    #expect(run.output.ranges(of: "result Key-Error").count == 2, "\(run)")
    let program =
      "scope None { try { throw Key-Error } catch Key.Error { print wrong } "
      + "catch Key_Error { print wrong } catch Key-Error { print right }; throw print }"
    let both = try scopelab.run(["compare", program])
    #expect(both.status == 0, "\(both)")
    #expect(both.output.hasSuffix("\nagree\n"), "\(both)")
    #expect(both.output.ranges(of: "print right").count == 2, "\(both)")
    #expect(both.output.ranges(of: "result print").count == 2, "\(both)")
  }

  @Test("busy inside a timeout differs, naming busyBlocksTheLoop")
  func differ() throws {
    let run = try scopelab.run(["compare", "timeout 0.1 { busy 0.3 }"])
    #expect(run.status == 1, "\(run)")
    #expect(run.output.contains("known difference busyBlocksTheLoop"))
    #expect(run.output.contains("\ndiffer: first at event 2"))
  }

  @Test("a Python older than 3.11 given with --python: exit 2, one line naming it")
  func oldPython() throws {
    let python = try standIn(version: "(3, 10)", "exit 0")
    let run = try scopelab.run(["compare", "runner { }", "--python", python])
    #expect(run.status == 2, "\(run)")
    #expect(run.errors == "error: no usable Python: tried \(python) (3.10 is older than 3.11)\n")
    #expect(run.output.isEmpty)
  }

  // MARK: - Ctrl-C and stop signals

  /// A stand-in for python3 in this instance's home: answers the version check, and
  /// runs `body` (shell) for the script.
  private func standIn(version: String = "(3, 12)", _ body: String) throws -> String {
    try scopelab.home.write(
      "python3",
      """
      #!/bin/sh
      case "$2" in *version_info*) echo '\(version)'; exit 0;; esac
      \(body)

      """)
    let path = scopelab.home.path + "/python3"
    #expect(chmod(path, 0o755) == 0)
    return path
  }

  /// A stand-in that writes its pid to `python.pid` and then hangs. `exec`: a SIGINT that
  /// comes just after the pid is written would otherwise find dash forking `sleep`, a
  /// window in which both survive it (the stop then needs SIGKILL: "killed", not "stopped").
  private func hangingStandIn() throws -> String {
    try standIn("echo $$ > '\(scopelab.home.path)/python.pid'; exec sleep 60")
  }

  /// Waits until the hanging stand-in has written its pid.
  private func standInPID() throws -> pid_t {
    try eventually(timeout: 20, "the stand-in Python never started") {
      scopelab.home.read("python.pid")?.split(separator: "\n").first.flatMap { pid_t($0) }
    }
  }

  /// Waits until a process named `command` runs below `ancestor`, as a child of a
  /// process named `parent` if one is given.
  private func descendant(
    named command: String, of ancestor: pid_t, parent: String? = nil
  ) throws -> ProcessTable.Entry {
    try eventually(timeout: 20, "no \(command) below \(ancestor)") {
      let table = ProcessTable()
      return table.descendants(of: ancestor).first { entry in
        entry.command == command
          && (parent == nil
            || table.entries.contains { $0.pid == entry.parent && $0.command == parent })
      }
    }
  }

  private func expectNothingLeft(
    below scopelab: pid_t, groups: [pid_t], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let left = ProcessTable.waitUntilGone(pids: [], groups: groups)
    #expect(left.isEmpty, "left behind: \(left)", sourceLocation: sourceLocation)
    #expect(ProcessTable().descendants(of: scopelab).isEmpty, sourceLocation: sourceLocation)
  }

  @Test("Ctrl-C while scopelab runs the program: 130, its child reaped, Python stopped too")
  func controlCDuringScopelab() throws {
    let process = try scopelab.start([
      "compare", "process sleep 30 { wait }", "--python", try hangingStandIn(),
    ])
    // Python runs beside scopelab's run: both are under way.
    let python = try standInPID()
    // The program's own `sleep` (the stand-in became one too, by exec).
    let child = try eventually(timeout: 20, "no sleep of scopelab's run") {
      ProcessTable().descendants(of: process.pid).first {
        $0.command == "sleep" && $0.pid != python
      }
    }
    process.signal(SIGINT)
    #expect(process.waitForExit(timeout: 10) == .exited(130), "\(process.errorText)")
    let output = process.outputText
    #expect(
      output.hasSuffix("\ninterrupted: Ctrl-C stopped the scopelab run and the Python run\n"),
      "\(output)")
    #expect(output.contains("result KeyboardInterrupt"), "\(output)")
    expectNothingLeft(below: process.pid, groups: [child.group, python])
  }

  @Test("Ctrl-C while Python runs: 130, its process group killed, no verdict")
  func controlCDuringPython() throws {
    let process = try scopelab.start([
      "compare", "scope A { print a }", "--python", try hangingStandIn(),
    ])
    let python = try standInPID()
    let entry = try #require(ProcessTable.entry(python))
    #expect(entry.group == python, "Python leads its own process group: \(entry)")
    process.signal(SIGINT)
    #expect(process.waitForExit(timeout: 10) == .exited(130), "\(process.errorText)")
    let output = process.outputText
    #expect(output.hasSuffix("\ninterrupted: Ctrl-C stopped the Python run\n"), "\(output)")
    #expect(!output.contains("\nagree") && !output.contains("\ndiffer"), "\(output)")
    expectNothingLeft(below: process.pid, groups: [python])
  }

  @Test("a Python that ignores SIGINT: the second Ctrl-C cuts its grace short and kills its group")
  func secondControlCKillsAPythonThatIgnoresSIGINT() throws {
    let python = try standIn("trap '' INT; echo $$ > '\(scopelab.home.path)/python.pid'; sleep 60")
    let process = try scopelab.start(["compare", "scope A { }", "--python", python])
    let pid = try standInPID()
    let start = PseudoTerminal.now()
    process.signal(SIGINT)
    // Generous: the first press starts Python's teardown (SIGINT, then its grace).
    usleep(500_000)
    process.signal(SIGINT)
    #expect(process.waitForExit(timeout: 10) == .exited(130), "\(process.errorText)")
    // Before the grace after SIGINT (grace + 2 s) would have run out.
    #expect(PseudoTerminal.now() - start < 2.5)
    let output = process.outputText
    #expect(output.hasSuffix("\ninterrupted: Ctrl-C killed the Python run\n"), "\(output)")
    expectNothingLeft(below: process.pid, groups: [pid])
  }

  @Test(arguments: [SIGTERM, SIGHUP])
  func aStopSignalDuringPythonStopsItAndExitsWith128PlusIt(_ number: Int32) throws {
    let process = try scopelab.start([
      "compare", "scope A { print a }", "--python", try hangingStandIn(),
    ])
    let python = try standInPID()
    process.signal(number)
    #expect(process.waitForExit(timeout: 10) == .exited(128 + number), "\(process.errorText)")
    let name = number == SIGTERM ? "SIGTERM" : "SIGHUP"
    #expect(
      process.outputText.hasSuffix("\ninterrupted: \(name) stopped the Python run\n"),
      "\(process.outputText)")
    expectNothingLeft(below: process.pid, groups: [python])
  }

  @Test("scopelab killed with SIGKILL while Python runs: Python dies with it")
  func killedWithSIGKILLDuringPython() throws {
    // `exec`: the stand-in's pid is the process that hangs, the direct child of scopelab.
    let python = try standIn("echo $$ > '\(scopelab.home.path)/python.pid'; exec sleep 60.321")
    let process = try scopelab.start(["compare", "scope A { print a }", "--python", python])
    let pid = try standInPID()
    defer {
      if ProcessTable.entry(pid)?.command == "sleep" { kill(pid, SIGKILL) }
    }
    process.signal(SIGKILL)
    #expect(process.waitForExit() == .signaled(SIGKILL))
    let left = ProcessTable.waitUntilGone(pids: [pid], groups: []).filter { $0.state != "Z" }
    #expect(left.isEmpty, "left behind: \(left)")
  }

  @Test("Ctrl-C while CPython runs a process: asyncio tears it down, then 130, nothing left")
  func controlCDuringRealPythonWithAChild() throws {
    // The Python run's own `sleep 10`, beside scopelab's: the Ctrl-C stops both.
    let process = try scopelab.start(["compare", "process sleep 10 { wait }"])
    let child = try descendant(named: "sleep", of: process.pid, parent: "python3")
    let python = try #require(ProcessTable.entry(child.parent))
    #expect(python.group == python.pid && python.group != getpgid(process.pid))
    process.signal(SIGINT)
    #expect(process.waitForExit(timeout: 15) == .exited(130), "\(process.errorText)")
    let output = process.outputText
    #expect(
      output.hasSuffix("\ninterrupted: Ctrl-C stopped the scopelab run and the Python run\n"),
      "\(output)")
    // Python got the SIGINT as KeyboardInterrupt: its exits ran and traced (asyncio.run
    // cancels the main task: CancelledError, Python's name in Python's column). The child
    // exists from its fork, a moment before asyncio's create_subprocess_exec returns: a
    // SIGINT in that moment cancels the enter, and asyncio kills the child it started
    // (seen beside a CPU hog: `enter-failed process#1 CancelledError`).
    let rows = output.split(separator: "\n")
    #expect(
      rows.contains {
        $0.hasSuffix("exit process#1 CancelledError")
          || $0.contains("enter-failed process#1 Cancel")
      }, "\(output)")
    #expect(rows.contains { $0.hasSuffix("result KeyboardInterrupt") }, "\(output)")
    expectNothingLeft(below: process.pid, groups: [python.group, child.group])
  }

  @Test("Ctrl-C at a terminal reaches only scopelab; it stops Python and restores the terminal")
  func controlCAtATerminal() throws {
    let terminal = try scopelab.startInTerminal([
      "compare", "scope A { print a }", "--python", try hangingStandIn(),
    ])
    let python = try standInPID()
    terminal.send("\u{03}")
    #expect(terminal.waitForExit() == 130, "\(terminal.text.debugDescription)")
    #expect(
      terminal.text.contains("interrupted: Ctrl-C stopped the Python run"),
      "\(terminal.text.debugDescription)")
    #expect(ProcessTable.waitUntilGone(pids: [python], groups: [python]).isEmpty)
    let after = try #require(terminal.attributes())
    #expect(after.c_lflag & tcflag_t(ICANON) != 0, "canonical mode is back")
    #expect(after.c_lflag & tcflag_t(ECHO) != 0, "echo is back")
  }
}
