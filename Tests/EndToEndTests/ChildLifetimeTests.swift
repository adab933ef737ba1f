import Glibc
import TestSupport
import Testing

/// No child outlives scopelab (Lessons/rules.md PR2, issue 15 part 8): a child dies with
/// scopelab even when scopelab is killed with SIGKILL (its death signal), and a
/// grandchild that left its process group with `setsid` does not escape a Ctrl-C, a
/// SIGTERM or the end of a REPL run (scopelab is the reaper of its descendants).
///
/// Every sleep has a duration no other test uses, and whatever a failing test leaves is
/// killed by pid.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ChildLifetimeTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  // MARK: - Killed with SIGKILL

  @Test func aChildDiesWithScopelabKilledWithSIGKILL() throws {
    let process = try scopelab.start(["run", "process sleep 30.123 { wait }"])
    let child = try startedChild(of: process)
    defer { killIfStillSleeping([child]) }
    process.signal(SIGKILL)
    #expect(process.waitForExit() == .signaled(SIGKILL))
    #expect(Self.stillAlive([child]).isEmpty, "\(Self.stillAlive([child]))")
  }

  @Test func aChildOfTheREPLDiesWithItKilledWithSIGKILL() throws {
    let process = try scopelab.start(
      [], input: Array("run process sleep 30.124 { wait }\n".utf8))
    let child = try startedChild(of: process)
    defer { killIfStillSleeping([child]) }
    process.signal(SIGKILL)
    #expect(process.waitForExit() == .signaled(SIGKILL))
    #expect(Self.stillAlive([child]).isEmpty, "\(Self.stillAlive([child]))")
  }

  // MARK: - A grandchild that called setsid

  @Test(arguments: [(SIGINT, false), (SIGTERM, false), (SIGHUP, false), (SIGTERM, true)])
  func aGrandchildThatCalledSetsidDoesNotOutliveTheSignal(_ number: Int32, inREPL: Bool) throws {
    let program = "process sh -c 'setsid sleep 30.125 & echo armed; wait' { wait }"
    let process =
      inREPL
      ? try scopelab.start([], input: Array("run \(program)\n".utf8))
      : try scopelab.start(["run", program])
    let child = try startedChild(of: process)
    try process.expectOutput("stdout | armed")
    let escaped = try sleepingDescendant(of: process.pid, outsideGroup: child)
    defer { killIfStillSleeping([child, escaped]) }
    process.signal(number)
    let status = number == SIGINT ? 130 : 128 + number
    let ended = process.waitForExit(timeout: 10)
    #expect(ended == .exited(status), "\(process.outputText) \(process.errorText)")
    #expect(process.outputText.contains("reaped pid \(child)"), "\(process.outputText)")
    #expect(Self.stillAlive([child, escaped]).isEmpty, "\(Self.stillAlive([child, escaped]))")
  }

  @Test func aGrandchildThatCalledSetsidIsNamedByTheAuditAndKilled() throws {
    // The second run keeps the REPL busy, so it is the audit, not the exit, that kills.
    // `armed` only once the grandchild is in a session of its own (field 6 of its stat),
    // so the exit's kill of the child's group cannot catch it before it left.
    let commands = """
      run process sh -c 'setsid sleep 30.126 & p=$!; while [ "$(cut -d" " -f6 /proc/$p/stat)" != "$p" ]; do :; done; echo armed' { wait }
      run print second; sleep 5; print done

      """
    let process = try scopelab.start([], input: Array(commands.utf8))
    let child = try startedChild(of: process)
    defer { killIfStillSleeping([child]) }
    let audit = try process.expectOutput("(PR2)\n")
    try process.expectOutput("second")
    let line = audit.split(separator: "\n").last.map(String.init) ?? ""
    #expect(
      line.hasPrefix("audit: WRONG - pid ")
        && line.hasSuffix("left its process group and outlived the run: killed (PR2)"), "\(line)")
    let stray = try #require(
      pid_t(line.dropFirst("audit: WRONG - pid ".count).prefix { $0 != " " }))
    defer { killIfStillSleeping([stray]) }
    #expect(stray != child)
    #expect(process.isRunning, "the REPL is in its second run")
    #expect(Self.stillAlive([stray]).isEmpty, "\(Self.stillAlive([stray]))")
    let children = ProcessTable().children(of: process.pid)
    #expect(children.isEmpty, "no zombie or stray is left as scopelab's child: \(children)")
    #expect(process.waitForExit(timeout: 15) == .exited(0), "\(process.errorText)")
  }

  // MARK: - The same child as before

  @Test func theChildKeepsItsArgumentZeroEnvironmentAndStandardInput() throws {
    let program = "process sh -c 'echo $0; echo $MARK; cat; echo end' { wait }"
    let process = try PipedProcess(
      executable: Scopelab.path(), arguments: ["run", program],
      environment: scopelab.environment(["MARK": "kept"]), input: [])
    #expect(try process.finish() == .exited(0))
    let output = process.outputText
    #expect(
      output.containsInOrder(["stdout | sh\n", "stdout | kept\n", "stdout | end\n"]), "\(output)")
  }

  // MARK: - Helpers

  /// Waits for the `started pid N` line; the child's pid, which leads its own group.
  private func startedChild(of process: PipedProcess) throws -> pid_t {
    try process.expectOutput("started pid ")
    let rest = try process.expectOutput(":")
    return try #require(pid_t(rest.dropLast()), "no pid in \(rest.debugDescription)")
  }

  /// Waits until a `sleep` runs below `scopelab` outside process group `group`.
  private func sleepingDescendant(of scopelab: pid_t, outsideGroup group: pid_t) throws -> pid_t {
    try eventually("no sleep outside group \(group)") {
      ProcessTable().descendants(of: scopelab).first {
        $0.command == "sleep" && $0.group != group
      }?.pid
    }
  }

  /// The processes among `pids` still alive after a few seconds (a zombie waiting for
  /// init counts as gone).
  private static func stillAlive(_ pids: [pid_t]) -> [ProcessTable.Entry] {
    let deadline = PseudoTerminal.now() + 5
    while true {
      let alive = pids.compactMap(ProcessTable.entry).filter { $0.state != "Z" }
      if alive.isEmpty || PseudoTerminal.now() > deadline { return alive }
      usleep(50_000)
    }
  }

  /// Cleans up after a failed test: SIGKILL to each pid that is still a `sleep`.
  private func killIfStillSleeping(_ pids: [pid_t]) {
    for entry in pids.compactMap(ProcessTable.entry) where entry.command == "sleep" {
      kill(entry.pid, SIGKILL)
    }
  }
}
