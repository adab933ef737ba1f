import PosixThread
import Subprocess

#if canImport(System)
  import System
#else
  import SystemPackage
#endif

/// A scope that runs an external process: `process ARG... { ... }` (PR1-PR3).
///
/// Enter resolves `arguments[0]` through `PATH` (no shell) and spawns it with stdin from
/// `/dev/null`, in a process group of its own. Inside a traced run its stdout and stderr
/// are captured and traced line by line; outside one they go to `/dev/null`. Exit after a normal end waits for the child's natural exit, sending no
/// signal; after an error or a cancellation it tears the child down: SIGTERM to the
/// group, up to ``grace`` for it to go, then SIGKILL. Either way it returns once the
/// child is reaped and nothing of its group is left, and never suppresses the error.
///
/// ```swift
/// try await withScope(ProcessScope(["sh", "-c", "echo hi; exit 3"])) { process in
///   let status = try await process.wait()  // .exited(3): a result, not an error
/// }
/// ```
public final class ProcessScope: AsyncScope, TraceNamed {
  public let traceName = "process"
  /// The argument vector; `arguments[0]` is the command.
  public let arguments: [String]
  /// How long a teardown waits after SIGTERM before it sends SIGKILL.
  public let grace: Duration
  /// How much output the trace shows.
  public let outputLimits: ProcessOutputLimits
  private let clock: any Clock<Duration>
  private let use = SingleUse()

  /// - Parameters:
  ///   - arguments: the command and its arguments, as a shell would split them.
  ///   - grace: the teardown's grace period between SIGTERM and SIGKILL.
  ///   - outputLimits: how much output the trace shows.
  ///   - clock: the clock the grace period is measured on.
  public init(
    arguments: [String],
    grace: Duration = .seconds(1),
    outputLimits: ProcessOutputLimits = ProcessOutputLimits(),
    clock: any Clock<Duration> = ContinuousClock()
  ) {
    self.arguments = arguments
    self.grace = max(grace, .zero)
    self.outputLimits = outputLimits
    self.clock = clock
  }

  /// The same as ``init(arguments:grace:outputLimits:clock:)``: `ProcessScope(["sleep", "1"])`.
  public convenience init(
    _ arguments: [String],
    grace: Duration = .seconds(1),
    outputLimits: ProcessOutputLimits = ProcessOutputLimits(),
    clock: any Clock<Duration> = ContinuousClock()
  ) {
    self.init(arguments: arguments, grace: grace, outputLimits: outputLimits, clock: clock)
  }

  // MARK: - Enter

  /// Resolves the command and spawns it (PR1).
  ///
  /// - Throws: ``ProcessSpawnError`` (`FileNotFoundError`) when the command does not
  ///   exist; `CancellationError` when the task is already cancelled. Either way nothing
  ///   was spawned.
  public func enter() async throws -> ProcessHandle {
    try use.claim(traceName)
    // swift-subprocess would spawn and then kill; we do not spawn at all.
    try Task.checkCancellation()
    guard let command = arguments.first, !command.isEmpty else {
      throw ProcessSpawnError(code: .noCommand, command: "", message: "no command to run")
    }
    let executable = try await Self.resolve(command)
    try Task.checkCancellation()
    let spawned = ProcessChild(
      arguments: arguments, limits: outputLimits, trace: Trace.reporter()
    )
    let pid = try await spawned.start(executable)
    return ProcessHandle(pid: pid, arguments: arguments, child: spawned)
  }

  /// The executable for `command`: searched on `PATH`, or used as given if it is a path.
  private static func resolve(_ command: String) async throws -> FilePath {
    if command.contains("/") {
      guard Syscall.fileExists(command) else {
        throw ProcessSpawnError.fileNotFound(command)
      }
      return FilePath(command)
    }
    do {
      return try await Executable.name(command).resolveExecutablePath(in: .inherit)
    } catch {
      throw ProcessSpawnError(spawning: command, failure: error)
    }
  }

  // MARK: - Exit

  /// Waits for the child or tears it down (PR2); never suppresses.
  ///
  /// A body that returned normally while its caller was cancelled (it ignored the
  /// cancellation) counts as cancelled: the child is torn down.
  ///
  /// - Throws: `CancellationError` when the body ended normally but the caller was
  ///   cancelled, then or during the wait for the child (an outer timeout, Ctrl-C): the
  ///   child is torn down first.
  public func exit(_ context: ExitContext<ProcessHandle>) async throws -> ExitDecision {
    let child = context.value.child
    if context.error == nil && !context.callerCancelled {
      let outcome: Result<ProcessStatus, any Error>
      do {
        outcome = try await child.end.wait()
        // Ended while we were being cancelled: still a cancellation (PR3's note).
        try Task.checkCancellation()
      } catch {
        await finish(child, tearingDown: true)
        throw CancellationError()
      }
      await finish(child, tearingDown: false)
      _ = try outcome.get()
      return .propagate
    }
    await finish(child, tearingDown: true)
    if context.error == nil { throw CancellationError() }
    return .propagate
  }

  /// Tears down if asked, then clears the group, in a task that is not cancelled (W5).
  private func finish(_ child: ProcessChild, tearingDown: Bool) async {
    let grace = grace
    let clock = clock
    await Task {
      let (killed, period) =
        tearingDown ? await child.tearDown(grace: grace, clock: clock) : (false, nil)
      _ = await child.end.waitUncancelled()
      await child.sweepGroup(killed: killed, grace: period)
    }.value
  }

  // MARK: - Process-wide controls

  /// Makes every teardown now in its grace period send SIGKILL at once (a second
  /// Ctrl-C, REPL1). The children are still reaped by their scopes.
  ///
  /// Not async-signal-safe: call it from a task or a signal-watching thread.
  /// - Returns: how many teardowns were cut short.
  @discardableResult
  public static func escalateTeardowns() -> Int {
    ProcessRegistry.escalateAll()
  }

  /// How many process teardowns are waiting out their grace period now: what
  /// ``escalateTeardowns()`` would cut short.
  public static var teardownsInGracePeriod: Int {
    ProcessRegistry.teardownCount
  }

  /// Sends SIGKILL to the process group of every child that may still be alive, at once,
  /// without waiting or reaping: for quitting or a fatal signal, when no scope will exit.
  ///
  /// Synchronous and allocation-free; it takes the registry's lock only if it is free,
  /// so it may be called from a signal handler or `atexit`.
  /// - Returns: how many groups were signalled.
  @discardableResult
  public static func killAllLiveGroups() -> Int {
    ProcessRegistry.killAllGroups()
  }
}
