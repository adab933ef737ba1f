import AsyncScope
import Glibc
import TestSupport
import Testing

@testable import ScopeLab

/// `compare`'s Python side with stand-in interpreters (small shell scripts passed as
/// `--python`): one too old, none at all, one that crashes, one that hangs. A hung or
/// interrupted Python is stopped and nothing of it outlives the run.
@Suite("compare: the Python side", .serialized, .timeLimit(.minutes(2)))
struct ComparePythonTests {
  let directory: TemporaryDirectory

  init() throws {
    directory = try TemporaryDirectory(prefix: "scopelab-fake-python")
  }

  /// A stand-in for python3: answers the version check with `version`, and runs `body`
  /// (shell) for the script.
  private func fakePython(version: String = "(3, 12)", _ body: String) throws -> String {
    let name = "python-\(UInt32.random(in: 0...UInt32.max))"
    try directory.write(
      name,
      """
      #!/bin/sh
      case "$2" in *version_info*) echo '\(version)'; exit 0;; esac
      \(body)

      """)
    let path = directory.path + "/" + name
    #expect(chmod(path, 0o755) == 0)
    return path
  }

  /// Where a stand-in writes its pid (which is also its process group, if compare gave
  /// it one of its own).
  private var pidFile: String { directory.path + "/python.pid" }

  private func compare(
    _ source: String, python: String, settings: [String] = [],
    timeout: Duration = .seconds(30), controller: RunController = RunController()
  ) async -> (status: Int32, output: String, errors: String) {
    let output = CapturedOutput()
    let errors = CapturedOutput()
    let core = CompareCommandCore(
      source: source, settings: settings, python: python, timeout: timeout)
    let status = await core.run(output: output, errors: errors, controller: controller)
    return (status, output.text, errors.text)
  }

  /// Waits (without blocking a thread) until the stand-in has written its pid.
  private func waitForPID() async throws -> pid_t {
    try await eventually(timeout: 20, "the stand-in Python never started") {
      directory.read("python.pid")?.split(separator: "\n").first.flatMap { pid_t($0) }
    }
  }

  /// Checks that nothing of the stand-in is left: not it, not its process group.
  private func expectGone(_ pid: pid_t, sourceLocation: SourceLocation = #_sourceLocation) {
    let left = ProcessTable.waitUntilGone(pids: [pid], groups: [pid])
    #expect(left.isEmpty, "left behind: \(left)", sourceLocation: sourceLocation)
    if !left.isEmpty { ProcessTable.killDescendants(of: getpid()) }
  }

  // MARK: - No usable Python

  @Test("a Python older than 3.11: exit 2, naming what was tried and its version")
  func tooOld() async throws {
    let python = try fakePython(version: "(3, 9)", "exit 0")
    let run = await compare("runner { }", python: python)
    #expect(run.status == 2)
    #expect(run.errors == "error: no usable Python: tried \(python) (3.9 is older than 3.11)\n")
    #expect(run.output.isEmpty)
  }

  @Test("a --python path that does not exist, or cannot be run, or a name not on PATH")
  func notThere() async throws {
    let missing = directory.path + "/no-such-python"
    var run = await compare("runner { }", python: missing)
    #expect(run.status == 2)
    #expect(run.errors == "error: no usable Python: tried \(missing) (not found)\n")
    try directory.write("not-a-program", "print('hi')\n")
    let notAProgram = directory.path + "/not-a-program"
    run = await compare("runner { }", python: notAProgram)
    #expect(run.status == 2)
    #expect(
      run.errors
        == "error: no usable Python: tried \(notAProgram) (cannot be run: permission denied or not a program)\n"
    )
    run = await compare("runner { }", python: "scopelab-no-such-python3")
    #expect(
      run.errors == "error: no usable Python: tried scopelab-no-such-python3 (not found on PATH)\n")
    #expect(run.output.isEmpty)
  }

  @Test("an interpreter that reports no version")
  func noVersion() async throws {
    let python = try fakePython(version: "Python, I think", "exit 0")
    let run = await compare("runner { }", python: python)
    #expect(run.status == 2)
    #expect(run.errors.hasSuffix("(no version reported)\n"), "\(run.errors)")
  }

  // MARK: - A Python that fails or hangs

  @Test("a Python that crashes: the traces differ and its last error line is shown")
  func crash() async throws {
    let python = try fakePython(
      """
      echo 'Traceback (most recent call last):' >&2
      echo 'NameError: name is not defined' >&2
      exit 1
      """)
    let run = await compare("scope A { }", python: python)
    #expect(run.status == 1)
    #expect(
      run.output.contains(
        "python: exited with status 1 before the end of the program: NameError: name is\n    not defined\n"
      ), "\(run.output)")
  }

  @Test("a hung Python is stopped with SIGINT at the timeout, its whole process group with it")
  func hungStopsOnSIGINT() async throws {
    let python = try fakePython("echo $$ > '\(pidFile)'; sleep 60")
    let clock = ContinuousClock()
    let start = clock.now
    let run = await compare("runner { }", python: python, timeout: .seconds(1))
    let elapsed = clock.now - start
    let pid = try await waitForPID()
    #expect(run.status == 1)
    #expect(run.output.contains("python: did not finish within 1s: stopped with SIGINT\n"))
    #expect(
      run.output.hasSuffix("\ndiffer: first at event 1; no known difference explains it\n"),
      "\(run.output)")
    #expect(elapsed >= .milliseconds(950) && elapsed < .seconds(10), "took \(elapsed)")
    // `sleep 60` was in the stand-in's process group: gone too.
    expectGone(pid)
  }

  @Test("a hung Python that ignores SIGINT is killed after the grace period")
  func hungIgnoringSIGINTIsKilled() async throws {
    let python = try fakePython("trap '' INT; echo $$ > '\(pidFile)'; sleep 60")
    let clock = ContinuousClock()
    let start = clock.now
    // The grace after SIGINT is the program's grace + 2 s.
    let run = await compare(
      "runner { }", python: python, settings: ["grace=0"], timeout: .seconds(1))
    let elapsed = clock.now - start
    let pid = try await waitForPID()
    #expect(run.status == 1)
    #expect(
      run.output.contains(
        "python: did not finish within 1s: killed (SIGKILL) after SIGINT did not stop it\n"),
      "\(run.output)")
    #expect(elapsed >= .milliseconds(2900) && elapsed < .seconds(12), "took \(elapsed)")
    expectGone(pid)
  }

  // MARK: - Ctrl-C

  @Test("Ctrl-C while Python runs: it is stopped at once, no verdict, status 130")
  func interruptDuringPython() async throws {
    // `exec`: a SIGINT that comes just after the pid is written would otherwise find dash
    // forking `sleep`, a window in which both survive it (the stop then needs SIGKILL).
    let python = try fakePython("echo $$ > '\(pidFile)'; exec sleep 60")
    let controller = RunController()
    let pidFile = pidFile
    let presser = Task {
      while fileSize(pidFile) <= 0 {
        try await Task.sleep(for: .milliseconds(20))
      }
      controller.interrupt()
    }
    let clock = ContinuousClock()
    let start = clock.now
    let run = await compare("scope A { print a }", python: python, controller: controller)
    try await presser.value
    #expect(clock.now - start < .seconds(10))
    #expect(run.status == 130)
    #expect(run.output.hasSuffix("\ninterrupted: Ctrl-C stopped the Python run\n"), "\(run.output)")
    #expect(!run.output.contains("agree") && !run.output.contains("differ"))
    #expect(run.output.contains("result ok"), "scopelab's side is shown: \(run.output)")
    #expect(run.errors.isEmpty)
    expectGone(try await waitForPID())
  }

  @Test("Ctrl-C during scopelab's run: the run is cancelled, then Python, which runs beside it")
  func interruptDuringScopelab() async throws {
    let python = try fakePython("echo $$ > '\(pidFile)'; exec sleep 60")
    let controller = RunController()
    let me = getpid()
    let pidFile = pidFile
    let presser = Task {
      // Both are under way: Python has written its pid, and the program's own child is up
      // (a second `sleep` child: the stand-in Python is one too).
      while fileSize(pidFile) <= 0
        || ProcessTable().children(of: me).filter({ $0.command == "sleep" }).count < 2
      {
        try await Task.sleep(for: .milliseconds(20))
      }
      controller.interrupt()
    }
    let run = await compare("process sleep 30 { wait }", python: python, controller: controller)
    try await presser.value
    #expect(run.status == 130)
    #expect(
      run.output.hasSuffix(
        "\ninterrupted: Ctrl-C stopped the scopelab run and the Python run\n"),
      "\(run.output)")
    #expect(run.output.contains("result KeyboardInterrupt"))
    #expect(!run.output.contains("agree") && !run.output.contains("differ"))
    expectGone(try await waitForPID())
    #expect(!ProcessTable().children(of: me).contains { $0.command == "sleep" })
  }

  @Test("a second Ctrl-C while compare waits for a stuck Python after its own run kills it")
  func secondInterruptKillsStuckPython() async throws {
    // Ignores the SIGINT that stops it; `exec` keeps that (an ignored signal stays so).
    let python = try fakePython("trap '' INT; echo $$ > '\(pidFile)'; exec sleep 60")
    let controller = RunController()
    let pidFile = pidFile
    let clock = ContinuousClock()
    let secondPress = Locked<ContinuousClock.Instant?>(nil)
    let presser = Task {
      while fileSize(pidFile) <= 0 {
        try await Task.sleep(for: .milliseconds(20))
      }
      controller.interrupt()
      // The scopelab run has no process of its own: a teardown in its grace period is
      // Python's, begun once that run ended and compare went on to wait for Python.
      for _ in 0..<1000 where ProcessScope.teardownsInGracePeriod == 0 {
        try await Task.sleep(for: .milliseconds(10))
      }
      secondPress.withLock { $0 = clock.now }
      controller.interrupt()
    }
    // With grace=30 Python's own stop would wait 32 s before its SIGKILL.
    let run = await compare(
      "runner { sleep 30 }", python: python, settings: ["grace=30"], controller: controller)
    let end = clock.now
    try await presser.value
    let pressed = try #require(secondPress.withLock { $0 })
    #expect(end - pressed < .seconds(20), "Python waited out its grace: \(end - pressed)")
    #expect(run.status == 130)
    #expect(run.output.contains("interrupted: Ctrl-C stopped the scopelab run"), "\(run.output)")
    expectGone(try await waitForPID())
  }

  // MARK: - Leftovers

  @Test("a grandchild that holds the pipe open: both sides stop reading and kill it")
  func grandchild() async throws {
    // Each side's child writes its pid (its process group) and leaves `sleep 30` behind.
    let groups = directory.path + "/groups"
    let program = "process sh -c 'echo $$ >> \(groups); sleep 30 & echo bg' { wait }"
    let clock = ContinuousClock()
    let start = clock.now
    let run = await compare(program, python: "python3")
    #expect(clock.now - start < .seconds(10), "Python waited for the pipe to close")
    #expect(run.status == 0, "\(run.output)\(run.errors)")
    #expect(run.output.contains("signal process#1"), "the group was swept: \(run.output)")
    let pids = (directory.read("groups") ?? "").split(separator: "\n").compactMap { pid_t($0) }
    #expect(pids.count == 2)
    let left = ProcessTable.waitUntilGone(pids: [], groups: pids)
    #expect(left.isEmpty, "left behind: \(left)")
    for group in Set(left.map(\.group)) { kill(-group, SIGKILL) }
  }

  @Test("children the traced script started and did not reap are found in its trace")
  func unreaped() {
    let jsonl = """
      {"t": 0.1, "event": "started", "scope": "process", "id": "process#1", "depth": 0, "pid": 41}
      {"t": 0.1, "event": "started", "scope": "process", "id": "process#2", "depth": 0, "pid": 42}
      {"t": 0.2, "event": "reaped", "scope": "process", "id": "process#1", "depth": 0, "pid": 41}
      {"t": 0.2, "event": "print", "text": "\\"pid\\": 7"}
      not json
      """
    #expect(PythonRunner.unreapedChildren(in: jsonl) == [42])
  }
}

/// The size of the file at `path`, or -1 if there is none.
private func fileSize(_ path: String) -> Int {
  var info = stat()
  return stat(path, &info) == 0 ? Int(info.st_size) : -1
}
