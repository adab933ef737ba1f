import Subprocess

#if canImport(System)
  import System
#else
  import SystemPackage
#endif

/// Runs a script under CPython for `compare`: never through a shell, with a timeout
/// and bounded output.
public struct PythonRunner: Sendable {
  /// The interpreter: a path (`--python PATH`) or a name looked up on PATH.
  public var interpreter: String
  /// How long one run may take before it is stopped.
  public var timeout: Duration
  /// The most bytes of standard output kept.
  public var outputLimit: Int

  public init(interpreter: String = "python3", timeout: Duration = .seconds(30)) {
    self.interpreter = interpreter
    self.timeout = timeout
    self.outputLimit = 4 << 20
  }

  /// The oldest Python the traced view runs on (`asyncio.TaskGroup`, `asyncio.timeout`).
  public static let minimumVersion = (3, 11)

  /// Why no usable Python was found.
  public struct Unusable: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
  }

  /// One finished run: exit status (nil if killed or timed out) and standard output.
  public struct Finished: Sendable {
    public var status: Int32?
    public var output: String
    public var timedOut: Bool
  }

  private var executable: Executable {
    interpreter.contains("/") ? .path(FilePath(interpreter)) : .name(interpreter)
  }

  /// Checks the interpreter runs and is 3.11 or newer.
  public func checkVersion() async throws(Unusable) {
    let run: Finished
    do {
      run = try await self.run(arguments: ["-c", "import sys; print(sys.version_info[:2])"])
    } catch {
      throw Unusable(reason: "\(interpreter) (not found)")
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

  /// Runs `python -c script`.
  public func run(script: String) async throws -> Finished {
    try await run(arguments: ["-c", script])
  }

  private func run(arguments: [String]) async throws -> Finished {
    let executable = executable
    let limit = outputLimit
    let timeout = timeout
    return try await withThrowingTaskGroup(of: Finished?.self) { group in
      group.addTask {
        let result = try await Subprocess.run(
          executable, arguments: Arguments(arguments),
          output: .string(limit: limit), error: .discarded)
        let status: Int32? =
          if case .exited(let code) = result.terminationStatus { Int32(code) } else { nil }
        return Finished(status: status, output: result.standardOutput, timedOut: false)
      }
      group.addTask {
        try await Task.sleep(for: timeout)
        return nil
      }
      defer { group.cancelAll() }
      guard let first = try await group.next() else {
        return Finished(status: nil, output: "", timedOut: true)
      }
      return first ?? Finished(status: nil, output: "", timedOut: true)
    }
  }
}
