import Glibc
import TestSupport

/// The built `scopelab` binary, started the ways a user starts it: with arguments,
/// over pipes, or in a pseudo-terminal. Each instance has its own HOME and
/// XDG_STATE_HOME, so no test reads or writes the real history.
final class Scopelab {
  let home: TemporaryDirectory

  init() throws {
    home = try TemporaryDirectory(prefix: "scopelab-e2e")
    // `trace FILE.swift` and `check FILE.swift` compile with swiftc: the instances share
    // its module cache (an empty one costs each first compile seconds of building Glibc's
    // and AsyncScope's modules), each keeps its own compiled programs.
    if let modules = Self.sharedModuleCache() {
      let swift = home.path + "/.cache/scopelab/swift"
      for directory in [home.path + "/.cache", home.path + "/.cache/scopelab", swift] {
        mkdir(directory, 0o700)
      }
      symlink(modules, swift + "/modules")
    }
  }

  /// The module cache the instances share: `$SCOPELAB_TEST_SWIFT_MODULES` (scripts/test
  /// makes one per run), else `swift-module-cache` beside the built binary. swiftc checks a
  /// cached module against the files it was built from, and several compilers may share
  /// one cache at once (each writes a module to a temporary name and renames it).
  static func sharedModuleCache() -> String? {
    if let value = getenv("SCOPELAB_TEST_SWIFT_MODULES").map({ String(cString: $0) }),
      !value.isEmpty
    {
      return value
    }
    guard let binary = try? path(), let slash = binary.lastIndex(of: "/") else { return nil }
    let directory = String(binary[..<slash]) + "/swift-module-cache"
    mkdir(directory, 0o755)
    return directory
  }

  /// The binary built beside the tests.
  static func path() throws -> String {
    guard let path = BuiltProduct.path(of: "scopelab") else {
      throw PseudoTerminal.Failure(
        description: "scopelab was not found beside the tests: swift build --build-tests")
    }
    return path
  }

  /// Where the REPL keeps its history in this instance's environment.
  var historyPath: String { home.path + "/state/scopelab/history" }

  /// Whether `NO_COLOR` is set for scopelab (so terminal output is plain text).
  var noColor = true

  /// Variables set for every start of scopelab (over the defaults below): `trace
  /// FILE.swift` needs the PATH that has swiftc.
  var extraEnvironment: [String: String] = [:]

  /// The environment scopelab runs in: a private home, no colour unless asked, no pager
  /// (`PAGER=cat`, as git's tests do) unless a test sets `SCOPELAB_PAGER`.
  func environment(_ extra: [String: String] = [:]) -> [String: String] {
    var environment = [
      "HOME": home.path, "XDG_STATE_HOME": home.path + "/state",
      "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "PAGER": "cat",
    ]
    if noColor { environment["NO_COLOR"] = "1" }
    environment.merge(extraEnvironment) { _, new in new }
    environment.merge(extra) { _, new in new }
    return environment
  }

  /// Starts `scopelab ARGUMENTS` with pipes; `input` goes to its standard input,
  /// which is then closed (`nil` keeps it open).
  func start(_ arguments: [String], input: [UInt8]? = []) throws -> PipedProcess {
    try PipedProcess(
      executable: Self.path(), arguments: arguments, environment: environment(), input: input)
  }

  /// Runs `scopelab ARGUMENTS` to the end.
  func run(_ arguments: [String], input: String = "", timeout: Double = 30) throws -> Finished {
    let process = try start(arguments, input: Array(input.utf8))
    let termination = try process.finish(timeout: timeout)
    return Finished(
      termination: termination, output: process.outputText, errors: process.errorText)
  }

  /// Runs each of `runs` (the arguments of one `scopelab`) at the same time, each to its
  /// end: what each did, in order.
  func runAll(_ runs: [[String]], timeout: Double = 30) throws -> [Finished] {
    let processes = try runs.map { try start($0) }
    let deadline = PseudoTerminal.now() + timeout
    var ended = [PipedProcess.Termination?](repeating: nil, count: processes.count)
    while let index = ended.firstIndex(where: { $0 == nil }) {
      guard PseudoTerminal.now() < deadline else {
        for process in processes { process.signal(SIGKILL) }
        throw PseudoTerminal.Failure(
          description: "scopelab \(runs[index]) still running after \(timeout)s")
      }
      // Each one's pipes read in turn, a short wait each, so none blocks on a full pipe.
      for (index, process) in processes.enumerated() where ended[index] == nil {
        ended[index] = process.waitForExit(timeout: 0.02)
      }
    }
    return zip(processes, ended.compactMap { $0 }).map { process, termination in
      Finished(termination: termination, output: process.outputText, errors: process.errorText)
    }
  }

  /// Starts the REPL in a pseudo-terminal, as a person at a terminal would.
  func startInTerminal(
    _ arguments: [String] = [], columns: UInt16 = 80, rows: UInt16 = 24,
    environment extra: [String: String] = [:]
  ) throws -> PseudoTerminal {
    try PseudoTerminal(
      executable: Self.path(), arguments: arguments,
      environment: environment(["TERM": "xterm"].merging(extra) { _, new in new }),
      columns: columns, rows: rows)
  }
}
