import PosixThread
import Subprocess

#if canImport(System)
  import System
#else
  import SystemPackage
#endif

/// One spawned child of a ``ProcessScope``: the task that runs it, its output, its end.
///
/// swift-subprocess's `run` is closure-based and ends only when the child is gone and
/// reaped, while a scope is split into enter and exit. So `run` goes in a task of its own:
/// its body reports the pid (which ends enter) once the command is executed - through
/// ``ProcessExecTrampoline`` where it works, so the child dies with this process - then,
/// when traced, reads both pipes until they close (untraced, the output goes to
/// `/dev/null`: nothing would show it).
/// ``ProcessExits`` tells when the child has exited (``exited``, a pidfd, no polling).
/// When it has, swift-subprocess ends those reads even if a grandchild still holds a pipe
/// open; a watchdog cuts a drain that goes on longer than ``drainDeadline``. `run` then
/// reaps the child, exactly once, and ``end`` is fulfilled. Exit either just waits for
/// ``end`` or signals the process group first (``tearDown(grace:clock:)``, through
/// ``ProcessTeardown``).
final class ProcessChild: Sendable {
  let arguments: [String]
  let limits: ProcessOutputLimits
  let trace: TraceReporter
  /// The pid once spawned, or the spawn error.
  let spawned = ProcessLatch<Result<Int32, any Error>>()
  /// Fulfilled once the child has exited (it may not be reaped yet).
  let exited = ProcessLatch<Void>()
  /// The exit status once the child is reaped, or the error that ended monitoring.
  let end = ProcessLatch<Result<ProcessStatus, any Error>>()
  /// Bytes of output the trace may still show, shared by stdout and stderr.
  private let budget: Locked<Int>

  /// How long reads go on after the child exited before they are cut.
  static let drainDeadline = Duration.milliseconds(250)

  init(arguments: [String], limits: ProcessOutputLimits, trace: TraceReporter) {
    self.arguments = arguments
    self.limits = limits
    self.trace = trace
    self.budget = Locked(limits.maxTotalBytes)
  }

  /// The pid, once spawned; it is also the process group id.
  var pid: Int32? {
    guard case .success(let pid) = spawned.value else { return nil }
    return pid
  }

  /// The command line as the trace shows it.
  var commandLine: String {
    arguments.map(Self.quoted).joined(separator: " ")
  }

  /// Spawns the child in a task of its own and returns its pid.
  ///
  /// Waits for the spawn even if the caller is cancelled meanwhile, so that a child
  /// is never left running without a scope to exit it.
  func start(_ path: FilePath) async throws -> Int32 {
    Task { await self.run(path) }
    return try await spawned.waitUncancelled().get()
  }

  /// Runs the child to its end: through ``ProcessExecTrampoline`` where it works, so the
  /// child dies with this process, else directly.
  private func run(_ path: FilePath) async {
    var options = PlatformOptions()
    // Its own process group: Ctrl-C at the terminal reaches only us, and a teardown
    // can signal the child and everything it started.
    options.processGroupID = 0
    if let trampoline = ProcessExecTrampoline() {
      let configuration = ProcessExecTrampoline.configuration(
        path: path, arguments: arguments, platformOptions: options)
      await run(configuration, input: trampoline.input, trampoline: trampoline)
    } else {
      let configuration = Configuration(
        executable: .path(path),
        arguments: Arguments(
          executablePathOverride: arguments.first,
          remainingValues: Array(arguments.dropFirst())
        ),
        environment: .inherit,
        platformOptions: options
      )
      await run(configuration, input: .none, trampoline: nil)
    }
  }

  /// Traced, both pipes are read and each line traced as it arrives. Untraced, nothing
  /// would show the output: the child writes to `/dev/null`, and the run waits for no
  /// pipe to drain, only for the exit.
  private func run<Input: InputProtocol>(
    _ configuration: Configuration, input: Input, trampoline: ProcessExecTrampoline?
  ) async {
    if trace.isActive {
      await run(
        configuration, input: input, output: .sequence, error: .sequence, trampoline: trampoline
      ) { execution in
        await self.readOutput(execution.standardOutput, execution.standardError)
      }
    } else {
      await run(
        configuration, input: input, output: .discarded, error: .discarded,
        trampoline: trampoline
      ) { _ in }
    }
  }

  private func run<Input: InputProtocol, Output: OutputProtocol, Failure: ErrorOutputProtocol>(
    _ configuration: Configuration, input: Input, output: Output, error: Failure,
    trampoline: ProcessExecTrampoline?,
    whileRunning: (Execution<Input, Output, Failure>) async -> Void
  ) async {
    do {
      let result = try await Subprocess.run(
        configuration, input: input, output: output, error: error
      ) { execution -> ProcessSpawnError? in
        let pid = execution.processIdentifier.value
        if let trampoline, let error = await trampoline.execError() {
          // The command could not be executed: a failed enter, nothing traced. The
          // trampoline has exited; swift-subprocess reaps it.
          return ProcessSpawnError(executing: arguments.first ?? "", errno: error)
        }
        ProcessRegistry.addGroup(pid)
        // Before swift-subprocess may reap it (after this body), so the pid is still ours.
        ProcessExits.shared.onExit(of: pid) { [exited] in exited.fulfil(()) }
        trace.emit(.started(pid: pid, command: commandLine))
        spawned.fulfil(.success(pid))
        await whileRunning(execution)
        return nil
      }
      exited.fulfil(())
      if let failure = result.closureResult {
        spawned.fulfil(.failure(failure))
        end.fulfil(.failure(failure))
        return
      }
      let pid = result.processIdentifier.value
      let status = ProcessStatus(result.terminationStatus)
      trace.emit(.status(pid: pid, status: status.description))
      trace.emit(.reaped(pid: pid))
      end.fulfil(.success(status))
    } catch {
      let failure = ProcessSpawnError(spawning: arguments.first ?? "", failure: error)
      exited.fulfil(())
      spawned.fulfil(.failure(failure))
      end.fulfil(.failure(failure))
    }
  }

  // MARK: - Output

  private func readOutput(
    _ stdout: SubprocessOutputSequence, _ stderr: SubprocessOutputSequence
  ) async {
    await withTaskGroup(of: Bool.self) { group in
      group.addTask {
        await self.read(stdout, as: .stdout)
        return true
      }
      group.addTask {
        await self.read(stderr, as: .stderr)
        return true
      }
      group.addTask {
        await self.drainDeadlinePassed()
        return false
      }
      var readersDone = 0
      while let wasReader = await group.next() {
        if wasReader { readersDone += 1 }
        // Both pipes closed, or the drain took too long: stop the rest.
        if readersDone == 2 || !wasReader { group.cancelAll() }
      }
    }
  }

  /// Reads one pipe to its end, tracing each line as it arrives.
  private func read(_ sequence: SubprocessOutputSequence, as stream: TraceEvent.OutputStream)
    async
  {
    var lines = ProcessOutputLines(limits: limits)
    do {
      for try await buffer in sequence {
        if Task.isCancelled { break }
        let complete = buffer.withUnsafeBytes { bytes in
          budget.withLock { lines.feed(bytes, budget: &$0) }
        }
        for line in complete { trace.emit(.output(text: line, stream: stream)) }
      }
    } catch {
      // A failed read ends the capture; the child's status is still reported.
    }
    let last = budget.withLock { lines.finish(budget: &$0) }
    for line in last { trace.emit(.output(text: line, stream: stream)) }
  }

  /// Returns ``drainDeadline`` after the child exited (not reaped: swift-subprocess does
  /// that once the reads end), or when cancelled because the reads ended first.
  private func drainDeadlinePassed() async {
    guard (try? await exited.wait()) != nil else { return }
    try? await Task.sleep(for: Self.drainDeadline)
  }

  // MARK: - Teardown

  /// SIGTERM to the group, up to `grace` for the child to go, then SIGKILL; returns once
  /// the child has exited (``ProcessTeardown``). ``ProcessScope/escalateTeardowns()`` cuts
  /// the grace short. The caller then waits for ``end`` (the reap) and sweeps the group.
  ///
  /// - Returns: whether SIGKILL was sent to the group; else the grace period, still
  ///   running if the child exited within it, for the rest of the group.
  func tearDown(grace: Duration, clock: any Clock<Duration>) async -> (
    killed: Bool, grace: GracePeriod?
  ) {
    guard let pid, end.value == nil else { return (false, nil) }
    let teardown = ProcessTeardown(pid: pid, exited: exited, grace: grace, clock: clock)
    return await teardown.runKeepingGrace(first: Syscall.sigterm, escalates: true) {
      [trace] signal in
      // Traced before it is sent, so the line always comes before the status and reap.
      trace.emit(.signal(pid: pid, signal: Syscall.name(of: signal)))
    }
  }

  /// After the child is reaped: SIGKILL whatever of its group is still alive
  /// (grandchildren), wait until it is gone (500 ms at the most), and forget the group.
  ///
  /// - Parameters:
  ///   - killed: whether the teardown already sent SIGKILL to the group. Then every
  ///     member has it pending - one the scheduler has not run yet still reads as alive
  ///     in `/proc` - so it is only waited for, not signalled (and traced) again.
  ///   - grace: the teardown's grace period, when the child exited within it. Every
  ///     member had SIGTERM too, and gets the rest of the grace to exit before SIGKILL
  ///     (one that has not run since reads as alive, as above). Ended here.
  func sweepGroup(killed: Bool = false, grace: GracePeriod? = nil) async {
    defer { grace?.end() }
    guard let pid else { return }
    if let grace {
      while Syscall.groupHasLiveMembers(pid) && grace.over.value == nil {
        let members = Syscall.liveMembers(of: pid)
        // Members we cannot see (no /proc): SIGKILL them now, as before there was a grace.
        if members.isEmpty { break }
        await grace.wait(for: members)
      }
    }
    if Syscall.groupHasLiveMembers(pid) {
      if !killed { signal(pid, Syscall.sigkill) }
      let clock = ContinuousClock()
      let giveUp = clock.now.advanced(by: .milliseconds(500))
      while Syscall.groupHasLiveMembers(pid) && clock.now < giveUp {
        let members = Syscall.liveMembers(of: pid)
        if members.isEmpty {
          // Members we cannot see (no /proc): look again shortly.
          try? await clock.sleep(for: .milliseconds(2))
        } else {
          await ProcessExits.shared.allExited(members, within: clock.now.duration(to: giveUp))
        }
      }
    }
    ProcessRegistry.removeGroup(pid)
  }

  /// Traces the signal before sending it, so the line always comes before the status
  /// and reap it causes; a group that is already gone gets neither.
  private func signal(_ pid: Int32, _ signal: Int32) {
    guard Syscall.groupExists(pid) else { return }
    trace.emit(.signal(pid: pid, signal: Syscall.name(of: signal)))
    _ = Syscall.signalGroup(pid, signal)
  }

  // MARK: - Helpers

  /// An argument as a shell would need it written: quoted if it holds anything special.
  static func quoted(_ argument: String) -> String {
    let plain = argument.unicodeScalars.allSatisfy { scalar in
      scalar.properties.isAlphabetic || "0123456789-_./=:,+@%".unicodeScalars.contains(scalar)
    }
    if plain && !argument.isEmpty { return argument }
    return "'"
      + argument.split(separator: "'", omittingEmptySubsequences: false)
      .joined(separator: "'\\''") + "'"
  }
}

extension ProcessStatus {
  init(_ status: TerminationStatus) {
    switch status {
    case .exited(let code): self = .exited(code)
    case .signaled(let signal): self = .signaled(signal)
    }
  }
}
