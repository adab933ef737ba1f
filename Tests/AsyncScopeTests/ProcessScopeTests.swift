import Foundation
import Synchronization
import Testing

@testable import AsyncScope

/// PR1-PR3 with real processes. Serialized: each test checks global `/proc` state.
@Suite("ProcessScope", .serialized)
struct ProcessScopeTests {
  // MARK: - PR1: enter

  @Test("command not found: enter fails, no body, no exit, nothing spawned")
  func commandNotFound() async throws {
    for command in ["scopelab-no-such-command", "/nonexistent/scopelab-cmd"] {
      let scope = ProcessScope(arguments: [command, "arg"])
      let run = try await traced {
        try await withScope(scope) { _ in Issue.record("body ran") }
      }
      let error = try #require(run.error as? ProcessSpawnError)
      #expect(error.name == "FileNotFoundError")
      #expect(error.message == "[Errno 2] No such file or directory: '\(command)'")
      #expect(error.code == .commandNotFound)
      #expect(error.errno == ENOENT)
      #expect(run.kinds.contains(.enterFailed(error: "FileNotFoundError")))
      #expect(!run.kinds.contains { ["started", "exit"].contains($0.name) })
      #expect(run.pid == nil)
    }
  }

  @Test("PR1: a path that exists but cannot run fails enter with PermissionError")
  func permissionDenied() async throws {
    let notExecutable = FileManager.default.temporaryDirectory
      .appendingPathComponent("scopelab-not-executable-\(getpid())").path
    #expect(FileManager.default.createFile(atPath: notExecutable, contents: Data("x".utf8)))
    defer { try? FileManager.default.removeItem(atPath: notExecutable) }
    for path in ["/tmp", notExecutable] {
      let scope = ProcessScope(arguments: [path])
      let run = try await traced {
        try await withScope(scope) { _ in Issue.record("body ran") }
      }
      let error = try #require(run.error as? ProcessSpawnError)
      #expect(error.name == "PermissionError")
      #expect(error.message == "[Errno 13] Permission denied: '\(path)'")
      #expect(error.code == .permissionDenied)
      #expect(error.errno == EACCES)
      #expect(!run.kinds.contains { ["started", "exit"].contains($0.name) })
    }
  }

  @Test("PR1: a file that is not a program fails enter with Python's OSError, errno kept")
  func notAProgram() async throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("scopelab-not-a-program-\(getpid())").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data("\u{7F}ELF junk".utf8)))
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(chmod(path, 0o755) == 0)
    let scope = ProcessScope(arguments: [path])
    let run = try await traced {
      try await withScope(scope) { _ in Issue.record("body ran") }
    }
    let error = try #require(run.error as? ProcessSpawnError)
    #expect(error.name == "OSError")
    // What CPython's create_subprocess_exec raises for the same file.
    #expect(error.message == "[Errno 8] Exec format error: '\(path)'")
    #expect(error.code == .spawnFailed)
    #expect(error.errno == ENOEXEC)
    #expect(error.command == path)
    #expect(!run.kinds.contains { ["started", "exit"].contains($0.name) })
  }

  @Test("the child is spawned through the exec trampoline, so it dies with this process")
  func trampolineIsUsed() async throws {
    #expect(ProcessExecTrampoline.isAvailable, "Linux, AsyncScope linked into the test program")
    // The trampoline executes the command as the same process: argv[0], pid and group.
    let scope = ProcessScope(arguments: ["sh", "-c", "echo $0 $$; cut -d' ' -f5 /proc/$$/stat"])
    let run = try await traced {
      try await withScope(scope) { try await $0.wait() }
    }
    let pid = try #require(run.pid)
    let lines = run.kinds.compactMap { kind -> String? in
      guard case .output(let text, _) = kind else { return nil }
      return text
    }
    #expect(lines == ["sh \(pid)", "\(pid)"], "\(run.kinds)")
  }

  @Test("no orphans are adopted by a process that is not a subreaper")
  func noAdoptionWithoutReaper() async {
    #expect(!ProcessOrphans.isReaper)
    #expect(await ProcessOrphans.killAdopted().isEmpty)
  }

  @Test("already cancelled at enter: nothing is spawned")
  func noSpawnWhenCancelled() async throws {
    let scope = ProcessScope(arguments: ["sleep", "10"])
    let recorder = TraceRecorder()
    let task = Task {
      try await Tracer(sink: recorder, clock: ContinuousClock()).run {
        withUnsafeCurrentTask { $0?.cancel() }
        return try await withScope(scope) { _ in Issue.record("body ran") }
      }
    }
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(!recorder.events.contains { $0.kind.name == "started" })
  }

  @Test("a scope value is single-use (W6)")
  func singleUse() async throws {
    let scope = ProcessScope(arguments: ["true"])
    try await withScope(scope) { try await $0.wait() }
    await #expect(throws: ScopeUsageError.self) {
      try await withScope(scope) { _ in }
    }
  }

  // MARK: - PR3: status is a result; output is traced

  @Test("exit 3 is a result, and output lines are traced as they arrive")
  func exitStatusIsAResult() async throws {
    let scope = ProcessScope(arguments: ["sh", "-c", "echo hi; exit 3"])
    let run = try await traced { try await withScope(scope) { try await $0.wait() } }
    #expect(run.error == nil)
    #expect(run.value == .exited(3))
    let pid = try #require(run.pid)
    #expect(
      run.processKinds == [
        .started(pid: pid, command: "sh -c 'echo hi; exit 3'"),
        .output(text: "hi", stream: .stdout),
        .status(pid: pid, status: "exited(3)"),
        .reaped(pid: pid),
      ])
    #expect(run.kinds.contains(.exit(error: nil, expired: nil)))
    await expectNothingLeft(run)
  }

  @Test("stdout and stderr are told apart")
  func streamsToldApart() async throws {
    let script = "echo out; echo err >&2; printf 'no newline' >&2"
    let scope = ProcessScope(arguments: ["sh", "-c", script])
    let run = try await traced { try await withScope(scope) { try await $0.wait() } }
    let output = run.kinds.filter { $0.name == "output" }
    #expect(output.contains(.output(text: "out", stream: .stdout)))
    #expect(output.contains(.output(text: "err", stream: .stderr)))
    #expect(output.contains(.output(text: "no newline", stream: .stderr)))
    #expect(output.count == 3)
    await expectNothingLeft(run)
  }

  @Test("death by signal is a result too")
  func signaledIsAResult() async throws {
    let scope = ProcessScope(arguments: ["sh", "-c", "kill -9 $$"])
    let (status, pid) = try #require(await withScope(scope) { (try await $0.wait(), $0.pid) })
    #expect(status == .signaled(9))
    await expectNothingLeft(pid: pid)
  }

  // MARK: - PR2: exit

  @Test("normal end: exit waits for the natural exit and sends no signal")
  func normalEndWaits() async throws {
    let scope = ProcessScope(arguments: ["sh", "-c", "sleep 0.3; exit 4"])
    let start = ContinuousClock.now
    let run = try await traced { try await withScope(scope) { _ in "body done" } }
    let elapsed = ContinuousClock.now - start
    #expect(run.value == "body done")
    #expect(elapsed >= .milliseconds(280))
    #expect(!run.kinds.contains { $0.name == "signal" })
    let pid = try #require(run.pid)
    #expect(run.kinds.contains(.status(pid: pid, status: "exited(4)")))
    await expectNothingLeft(run)
  }

  @Test("a thrown body error tears down with SIGTERM and propagates unchanged")
  func thrownErrorTearsDown() async throws {
    let scope = ProcessScope(arguments: ["sleep", "10"])
    let start = ContinuousClock.now
    let run = try await traced {
      try await withScope(scope) { _ in throw NamedError("KeyError") }
    }
    #expect(ContinuousClock.now - start < .seconds(3))
    #expect(run.error as? NamedError == NamedError("KeyError"))
    let pid = try #require(run.pid)
    #expect(
      run.processKinds == [
        .started(pid: pid, command: "sleep 10"),
        .signal(pid: pid, signal: "SIGTERM"),
        .status(pid: pid, status: "signaled(15)"),
        .reaped(pid: pid),
      ])
    #expect(run.kinds.contains(.exit(error: "KeyError", expired: nil)))
    await expectNothingLeft(run)
  }

  @Test("a child that ignores SIGTERM is killed after the grace period")
  func sigkillAfterGrace() async throws {
    let scope = ProcessScope(
      arguments: ["sh", "-c", "trap '' TERM; sleep 30"], grace: .milliseconds(200))
    let run = try await traced {
      try await withScope(scope) { _ in
        try await Task.sleep(for: .milliseconds(300))  // let the trap be set
        throw NamedError("Boom")
      }
    }
    #expect(run.error as? NamedError == NamedError("Boom"))
    let pid = try #require(run.pid)
    let signals = run.events.filter { $0.kind.name == "signal" }
    #expect(
      signals.map(\.kind) == [
        .signal(pid: pid, signal: "SIGTERM"), .signal(pid: pid, signal: "SIGKILL"),
      ])
    if signals.count == 2 {
      let gap = signals[1].time - signals[0].time
      #expect(gap >= .milliseconds(180) && gap < .seconds(2))
    }
    #expect(run.kinds.contains(.status(pid: pid, status: "signaled(9)")))
    await expectNothingLeft(run)
  }

  @Test("timeout 0.5 around `process sleep 10 { wait }` is a TimeoutError, quickly")
  func timeoutAroundWait() async throws {
    let scope = ProcessScope(arguments: ["sleep", "10"])
    let start = ContinuousClock.now
    let run = try await traced {
      try await withScope(Timeout(.milliseconds(500))) { _ in
        try await withScope(scope) { try await $0.wait() }
      }
    }
    let elapsed = ContinuousClock.now - start
    #expect(run.error is TimeoutError)
    #expect(elapsed >= .milliseconds(480) && elapsed < .seconds(3))
    let pid = try #require(run.pid)
    #expect(run.kinds.contains(.signal(pid: pid, signal: "SIGTERM")))
    #expect(run.kinds.contains(.exit(error: "CancellationError", expired: nil)))
    await expectNothingLeft(run)
  }

  @Test("an outer timeout bounds exit's wait after a normal end")
  func timeoutBoundsNormalEndWait() async throws {
    let scope = ProcessScope(arguments: ["sleep", "10"])
    let start = ContinuousClock.now
    let run = try await traced {
      try await withScope(Timeout(.milliseconds(300))) { _ in
        try await withScope(scope) { _ in "no wait" }
      }
    }
    #expect(run.error is TimeoutError)
    #expect(ContinuousClock.now - start < .seconds(3))
    let pid = try #require(run.pid)
    #expect(run.kinds.contains(.signal(pid: pid, signal: "SIGTERM")))
    await expectNothingLeft(run)
  }

  @Test("a body that ignores its cancellation still gets its child torn down")
  func cancelledBodyThatReturns() async throws {
    let scope = ProcessScope(arguments: ["sleep", "10"])
    let start = ContinuousClock.now
    let spawned = Mutex<Int32?>(nil)
    let outcome = await Task {
      try await withScope(Timeout(.milliseconds(200))) { _ in
        try await withScope(scope) { handle in
          spawned.withLock { $0 = handle.pid }
          // Never checks cancellation, like `busy`.
          let clock = ContinuousClock()
          let end = clock.now.advanced(by: .milliseconds(400))
          while clock.now < end {}
          return "busy done"
        }
      }
    }.result
    #expect(throws: TimeoutError.self) { try outcome.get() }
    #expect(ContinuousClock.now - start < .seconds(3))
    await expectNothingLeft(pid: spawned.withLock { $0 })
  }

  @Test("cancelling the run (Ctrl-C) during wait tears down; the exit still runs (W5)")
  func cancelDuringWait() async throws {
    let scope = ProcessScope(arguments: ["sleep", "10"])
    let recorder = TraceRecorder()
    let start = ContinuousClock.now
    let task = Task {
      try await Tracer(sink: recorder, clock: ContinuousClock()).run {
        try await withScope(scope) { try await $0.wait() }
      }
    }
    try await Task.sleep(for: .milliseconds(200))
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(ContinuousClock.now - start < .seconds(3))
    let run = TracedRun<Void>(value: nil, error: nil, events: recorder.events)
    let pid = try #require(run.pid)
    let kinds = run.kinds
    #expect(kinds.contains(.signal(pid: pid, signal: "SIGTERM")))
    #expect(kinds.contains(.reaped(pid: pid)))
    await expectNothingLeft(run)
  }

  @Test("output is traced as it arrives, not when the child ends")
  func outputStreams() async throws {
    let scope = ProcessScope(arguments: ["sh", "-c", "echo first; sleep 0.6; echo second"])
    let run = try await traced { try await withScope(scope) { try await $0.wait() } }
    let first = run.events.first { $0.kind == .output(text: "first", stream: .stdout) }
    let second = run.events.first { $0.kind == .output(text: "second", stream: .stdout) }
    let firstTime = try #require(first?.time)
    let secondTime = try #require(second?.time)
    #expect(secondTime - firstTime >= .milliseconds(400))
    await expectNothingLeft(run)
  }

  @Test("a grandchild in the group is gone after teardown")
  func grandchildGoneAfterTeardown() async throws {
    let scope = ProcessScope(arguments: ["sh", "-c", "sleep 30 & sleep 30"])
    let run = try await traced {
      try await withScope(scope) { _ in
        try await Task.sleep(for: .milliseconds(200))
        throw NamedError("KeyError")
      }
    }
    #expect(run.error as? NamedError == NamedError("KeyError"))
    await expectNothingLeft(run)
  }

  // MARK: - Helpers

  struct TracedRun<Value: Sendable>: Sendable {
    var value: Value?
    var error: (any Error)?
    var events: [TraceEvent]
    var kinds: [TraceEvent.Kind] { events.map(\.kind) }
    /// The pid of the first child the run started, if any.
    var pid: Int32? {
      kinds.lazy.compactMap { kind -> Int32? in
        guard case .started(let pid, _) = kind else { return nil }
        return pid
      }.first
    }
    /// The process's own events, in order: started, output, signal, status, reaped.
    var processKinds: [TraceEvent.Kind] {
      kinds.filter { ["started", "output", "signal", "status", "reaped"].contains($0.name) }
    }
  }

  /// Runs `body` traced; returns its value or error and the events.
  func traced<Value: Sendable>(
    _ body: @escaping @Sendable () async throws -> Value?
  ) async throws -> TracedRun<Value> {
    let recorder = TraceRecorder()
    let tracer = Tracer(sink: recorder, clock: ContinuousClock())
    do {
      let value = try await tracer.run { try await body() }
      return TracedRun(value: value, error: nil, events: recorder.events)
    } catch {
      return TracedRun(value: nil, error: error, events: recorder.events)
    }
  }

  func expectNothingLeft<Value>(
    _ run: TracedRun<Value>, sourceLocation: SourceLocation = #_sourceLocation
  ) async {
    await expectNothingLeft(pid: run.pid, sourceLocation: sourceLocation)
  }

  func expectNothingLeft(
    pid: Int32?, sourceLocation: SourceLocation = #_sourceLocation
  ) async {
    guard let pid else {
      Issue.record("the scope never spawned", sourceLocation: sourceLocation)
      return
    }
    let left = await ProcessInspection.leftoversAfterSettling(group: pid)
    #expect(left.isEmpty, "left behind: \(left)", sourceLocation: sourceLocation)
  }
}
