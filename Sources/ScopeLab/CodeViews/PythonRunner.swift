import AsyncScope
import LineEditor
import PosixThread
import Subprocess
import Synchronization

#if canImport(System)
  import System
#else
  import SystemPackage
#endif

/// Runs a script under CPython for `compare`: never through a shell, in a process group
/// of its own, with a timeout and bounded output.
///
/// A run that must stop early - it took longer than ``timeout``, or the calling task was
/// cancelled (Ctrl-C) - is stopped the way a person at a terminal stops Python: SIGINT to
/// its process group, so asyncio cancels the program and every `async with` exits (the
/// traced script's processes are torn down and reaped), then after ``stopGrace`` SIGKILL
/// to the group. Whatever the run leaves behind is killed once it has ended: the rest of
/// its process group, and the process groups of children it started (the traced script's
/// `started` events) but never reaped. No process of the run outlives it.
public struct PythonRunner: Sendable {
  /// The interpreter: a path (`--python PATH`) or a name looked up on PATH.
  public var interpreter: String
  /// How long one run may take before it is stopped.
  public var timeout: Duration
  /// How long the version check may take.
  public var versionTimeout: Duration
  /// After SIGINT, how long Python has to end by itself (its exits, its children's
  /// teardown) before its process group is killed.
  public var stopGrace: Duration
  /// The most bytes of standard output kept.
  public var outputLimit: Int
  /// The most bytes of standard error kept (a traceback's last line explains a crash).
  public var errorLimit: Int
  /// Variables set (or, nil, removed) in the environment the run inherits.
  public var environment: [String: String?] = [:]

  public init(
    interpreter: String = "python3", timeout: Duration = .seconds(30),
    stopGrace: Duration = .seconds(3)
  ) {
    self.interpreter = interpreter
    self.timeout = timeout
    self.versionTimeout = .seconds(10)
    self.stopGrace = stopGrace
    self.outputLimit = 4 << 20
    self.errorLimit = 64 << 10
  }

  /// The oldest Python the traced view runs on (`asyncio.TaskGroup`, `asyncio.timeout`).
  public static let minimumVersion = (3, 11)

  /// Why no usable Python was found.
  public struct Unusable: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
  }

  /// Why a run was stopped before it ended by itself.
  public enum Stop: Sendable, Equatable {
    /// It took longer than ``PythonRunner/timeout``.
    case timedOut
    /// The calling task was cancelled (Ctrl-C, SIGTERM).
    case interrupted
  }

  /// One finished run.
  public struct Finished: Sendable {
    /// The exit status, or nil if a signal ended it.
    public var status: Int32?
    /// The signal that ended it, if one did.
    public var signal: Int32?
    /// Standard output, up to ``PythonRunner/outputLimit``.
    public var output: String
    /// Standard error, up to ``PythonRunner/errorLimit``.
    public var errors: String
    /// Why it was stopped, if it did not end by itself.
    public var stopped: Stop?
    /// Whether it had to be killed: it had not ended within the grace period after SIGINT.
    public var killed: Bool

    /// The last line Python wrote on standard error (a traceback's `KeyError: ...`).
    public var lastErrorLine: String? {
      errors.split(whereSeparator: \.isNewline).last {
        !$0.allSatisfy { $0 == " " || $0 == "\t" }
      }.map(String.init)
    }
  }

  private var executable: Executable {
    interpreter.contains("/") ? .path(FilePath(interpreter)) : .name(interpreter)
  }

  /// Checks the interpreter runs and is 3.11 or newer.
  public func checkVersion() async throws(Unusable) {
    var check = self
    check.timeout = versionTimeout
    check.stopGrace = .milliseconds(200)
    let run: Finished
    do {
      run = try await check.run(arguments: ["-c", "import sys; print(sys.version_info[:2])"])
    } catch {
      throw Unusable(reason: "\(interpreter) (\(Self.describeSpawnFailure(error, interpreter)))")
    }
    if run.stopped == .timedOut {
      throw Unusable(reason: "\(interpreter) (no answer within \(Self.seconds(versionTimeout)))")
    }
    // `(3, 11)`
    let digits = run.output.unicodeScalars.filter { "0123456789,".unicodeScalars.contains($0) }
    let parts = String(String.UnicodeScalarView(digits)).split(separator: ",").compactMap {
      Int($0)
    }
    guard run.status == 0, parts.count == 2 else {
      throw Unusable(reason: "\(interpreter) (no version reported)")
    }
    let (major, minor) = Self.minimumVersion
    if parts[0] < major || (parts[0] == major && parts[1] < minor) {
      throw Unusable(
        reason: "\(interpreter) (\(parts[0]).\(parts[1]) is older than \(major).\(minor))")
    }
  }

  /// Runs `python -c script`. Cancelling the calling task stops the run (SIGINT, then
  /// SIGKILL after ``stopGrace``) and returns what it printed until then.
  public func run(script: String) async throws -> Finished {
    try await run(arguments: ["-c", script])
  }

  /// Runs ``interpreter`` with `arguments`, as ``run(script:)`` does. `verify` runs its
  /// checked snippets this way too - `swiftc`, then the program it built, as the
  /// interpreter - for the same guarantees: no shell, a timeout, no process left behind.
  ///
  /// With `lines`, standard output is not kept: each line (without its newline) goes to
  /// `lines` the moment it arrives, and ``Finished/output`` stays empty (`trace` reads the
  /// traced program's events so, live).
  func run(
    arguments: [String], lines: (@Sendable (String) -> Void)? = nil
  ) async throws -> Finished {
    let inherited = Environment.inherit.updating(
      Dictionary(
        uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) }
      ))
    var options = PlatformOptions()
    // Its own process group: a Ctrl-C at the terminal reaches only scopelab, which decides
    // how Python stops, and the group can be signalled as a whole.
    options.processGroupID = 0
    // If swift-subprocess itself must tear the run down (its output went over the limit).
    options.teardownSequence = [
      .send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .milliseconds(200))
    ]
    let watch = PythonWatch()
    let (outputLimit, errorLimit, timeout, grace) = (
      self.outputLimit, self.errorLimit, self.timeout, self.stopGrace
    )
    // Through AsyncScope's exec trampoline where it works, so that Python dies with
    // scopelab even when scopelab is killed with SIGKILL (PR_SET_PDEATHSIG).
    let trampoline = ProcessExecTrampoline()
    let configuration: Configuration
    // What a spawn failure names: the path the trampoline was to execute.
    let command: String
    if trampoline != nil {
      // Resolved here as swift-subprocess would (not found: the same error), and the
      // path is argv[0], as swift-subprocess makes it.
      let path =
        interpreter.contains("/")
        ? FilePath(interpreter) : try await executable.resolveExecutablePath(in: .inherit)
      configuration = ProcessExecTrampoline.configuration(
        path: path, arguments: [path.string] + arguments, environment: inherited,
        platformOptions: options)
      command = path.string
    } else {
      configuration = Configuration(
        executable: executable, arguments: Arguments(arguments), environment: inherited,
        platformOptions: options)
      command = interpreter
    }
    // Not a child of the caller: cancelling the caller must stop Python, not abandon it.
    let running = Task { () async throws -> Ran in
      switch (trampoline, lines) {
      case (let trampoline?, let lines?):
        try await Self.spawn(
          configuration, command: command, input: trampoline.input, trampoline: trampoline,
          errorLimit: errorLimit, watch: watch, lines: lines)
      case (nil, let lines?):
        try await Self.spawn(
          configuration, command: command, input: .none, trampoline: nil,
          errorLimit: errorLimit, watch: watch, lines: lines)
      case (let trampoline?, nil):
        try await Ran(
          Self.spawn(
            configuration, command: command, input: trampoline.input, trampoline: trampoline,
            limits: (outputLimit, errorLimit), watch: watch))
      case (nil, nil):
        try await Ran(
          Self.spawn(
            configuration, command: command, input: .none, trampoline: nil,
            limits: (outputLimit, errorLimit), watch: watch))
      }
    }
    let timer = Task {
      guard (try? await Task.sleep(for: timeout)) != nil else { return }
      watch.stop(.timedOut, grace: grace)
    }
    let result = await withTaskCancellationHandler {
      await running.result
    } onCancel: {
      watch.stop(.interrupted, grace: grace)
    }
    timer.cancel()
    let (pid, stopped, killed) = watch.ended()
    if let pid { Self.unregisterRunning(pid) }
    let finished: Finished
    switch result {
    case .failure(let error):
      if let pid { Self.killGroup(pid) }
      throw error
    case .success(let run):
      let (status, signal): (Int32?, Int32?) =
        switch run.status {
        case .exited(let code): (Int32(code), nil)
        case .signaled(let number): (nil, Int32(number))
        }
      finished = Finished(
        status: status, signal: signal, output: run.output,
        errors: run.errors, stopped: stopped, killed: killed)
    }
    if let pid { Self.killGroup(pid) }
    for group in Self.unreapedChildren(in: finished.output) { Self.killGroup(group) }
    return finished
  }

  /// Runs Python to its end, capturing its output up to `limits`.
  private static func spawn<Input: InputProtocol>(
    _ configuration: Configuration, command: String, input: Input,
    trampoline: ProcessExecTrampoline?,
    limits: (output: Int, error: Int), watch: PythonWatch
  ) async throws -> ExecutionResult<Void, StringOutput<UTF8>, StringOutput<UTF8>> {
    try await Subprocess.run(
      configuration, input: input, output: .string(limit: limits.output),
      error: .string(limit: limits.error)
    ) { execution in
      try await spawned(
        execution.processIdentifier.value, command: command, trampoline: trampoline,
        watch: watch)
    }
  }

  /// Python was spawned as `pid`: throws if the trampoline could not exec it, else
  /// registers its process group and tells `watch`.
  private static func spawned(
    _ pid: Int32, command: String, trampoline: ProcessExecTrampoline?, watch: PythonWatch
  ) async throws {
    if let trampoline, let error = await trampoline.execError() {
      throw ProcessSpawnError(executing: command, errno: error)
    }
    registerRunning(pid)
    watch.spawned(pid)
  }

  /// Runs Python to its end, passing each line of its standard output to `lines` as it
  /// arrives.
  private static func spawn<Input: InputProtocol>(
    _ configuration: Configuration, command: String, input: Input,
    trampoline: ProcessExecTrampoline?, errorLimit: Int, watch: PythonWatch,
    lines: @escaping @Sendable (String) -> Void
  ) async throws -> Ran {
    let run = try await Subprocess.run(
      configuration, input: input, output: .sequence, error: .string(limit: errorLimit)
    ) { execution in
      try await spawned(
        execution.processIdentifier.value, command: command, trampoline: trampoline,
        watch: watch)
      var pending: [UInt8] = []
      for try await buffer in execution.standardOutput {
        buffer.withUnsafeBytes { bytes in
          for byte in bytes {
            if byte == UInt8(ascii: "\n") {
              lines(String(decoding: pending, as: UTF8.self))
              pending.removeAll(keepingCapacity: true)
            } else {
              pending.append(byte)
            }
          }
        }
      }
      if !pending.isEmpty { lines(String(decoding: pending, as: UTF8.self)) }
    }
    return Ran(status: run.terminationStatus, output: "", errors: run.standardError)
  }

  /// How a spawn ended, whichever way its output was read.
  private struct Ran: Sendable {
    var status: TerminationStatus
    var output: String
    var errors: String

    init(status: TerminationStatus, output: String, errors: String) {
      (self.status, self.output, self.errors) = (status, output, errors)
    }

    init(_ run: ExecutionResult<Void, StringOutput<UTF8>, StringOutput<UTF8>>) {
      self.init(
        status: run.terminationStatus, output: run.standardOutput, errors: run.standardError)
    }
  }
}
