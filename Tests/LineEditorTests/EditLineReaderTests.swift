import Glibc
import TestSupport
import Testing

/// The terminal behaviour of EditLineReader, through lineeditor-demo in a
/// pseudo-terminal. Keys are sent as a terminal sends them.
@Suite(.serialized)
struct EditLineReaderTests {
  /// lineeditor-demo, built beside the test bundle.
  static var demoPath: String {
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    let executable = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    let directory = executable.split(separator: "/").dropLast().joined(separator: "/")
    return "/" + directory + "/lineeditor-demo"
  }

  let stateDirectory: TemporaryDirectory

  init() throws {
    stateDirectory = try TemporaryDirectory()
  }

  private func start(language: String = "C") throws -> PseudoTerminal {
    guard access(Self.demoPath, X_OK) == 0 else {
      throw PseudoTerminal.Failure(
        description: "\(Self.demoPath) is missing: build lineeditor-demo")
    }
    let environment = [
      "HOME": stateDirectory.path, "XDG_STATE_HOME": stateDirectory.path + "/state",
      "TERM": "xterm", "LANG": language, "PATH": "/usr/bin:/bin",
    ]
    let terminal = try PseudoTerminal(executable: Self.demoPath, environment: environment)
    try terminal.expect("demo> ")
    return terminal
  }

  // MARK: - Editing

  @Test func typesAndEditsALine() throws {
    let terminal = try start()
    // "wrld", Ctrl-A, "X", Ctrl-E, Backspace, "d!": "Xwrld" -> "Xwrl" -> "Xwrld!".
    try terminal.enter("wrld\u{01}X\u{05}\u{7f}d!\r", reads: "Xwrld!")
    terminal.send("\u{04}")
    try terminal.expect("end of input")
    #expect(terminal.waitForExit() == 0)
  }

  @Test(arguments: ["C", "C.UTF-8"])
  func editsUTF8Characters(language: String) throws {
    let terminal = try start(language: language)
    // "café", Backspace (removes the whole "é"), "è", Left, Left, "_".
    try terminal.enter("café\u{7f}è\u{1b}[D\u{1b}[D_\r", reads: "ca_fè")
  }

  // MARK: - History

  @Test func recallsHistoryWithTheUpArrow() throws {
    let terminal = try start()
    try terminal.enter("first\r", reads: "first")
    try terminal.enter("second\r", reads: "second")
    try terminal.enter("\u{1b}[A\u{1b}[A\r", reads: "first")
  }

  @Test func persistsHistoryAcrossRuns() throws {
    let first = try start()
    try first.enter("remember me\r", reads: "remember me")
    first.send("\u{04}")
    #expect(first.waitForExit() == 0)
    let history = stateDirectory.read("state/scopelab/history")
    #expect(history == "remember me\n")

    let second = try start()
    try second.enter("\u{1b}[A\r", reads: "remember me")
  }

  @Test func searchesHistoryWithControlR() throws {
    let terminal = try start()
    try terminal.enter("set sleep 3\r", reads: "set sleep 3")
    try terminal.enter("run\r", reads: "run")
    try terminal.enter("\u{12}sle\r\r", reads: "set sleep 3")
  }

  // MARK: - Completion

  @Test func completesACommand() throws {
    let terminal = try start()
    try terminal.enter("lessons\r", reads: "lessons")
    try terminal.enter("tim\t\r", reads: "timeline ")
  }

  @Test func listsAmbiguousCompletions() throws {
    let terminal = try start()
    terminal.send("hi\t")
    try terminal.expect("hint")
    try terminal.expect("history")
    try terminal.enter("s\t\r", reads: "history ")
  }

  @Test func completesAFilePathAfterRecord() throws {
    let files = try TemporaryDirectory()
    try files.write("transcript.md", "")
    let terminal = try start()
    try terminal.enter("record \(files.path)/tra\t\r", reads: "record \(files.path)/transcript.md ")
  }

  // MARK: - Ctrl-C and Ctrl-D

  @Test func controlCClearsTheLineAndPromptsAgain() throws {
    let terminal = try start()
    terminal.send("half a line")
    try terminal.expect("half a line")
    terminal.send("\u{03}")
    try terminal.expect("interrupted")
    try terminal.expect("demo> ")
    try terminal.enter("next\r", reads: "next")
  }

  @Test func controlCOutsideThePromptReachesTheApp() throws {
    let terminal = try start()
    terminal.send("wait-interrupt\r")
    try terminal.expect("waiting")
    terminal.send("\u{03}")
    try terminal.expect("run interrupted")
    try terminal.expect("demo> ")
    try terminal.enter("still here\r", reads: "still here")
  }

  @Test func controlDOnAnEmptyLineEndsInput() throws {
    let terminal = try start()
    terminal.send("\u{04}")
    try terminal.expect("end of input")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func controlDOnANonEmptyLineDoesNotEndInput() throws {
    let terminal = try start()
    try terminal.enter("ab\u{02}\u{04}\r", reads: "a")
  }
}

extension PseudoTerminal {
  /// Types keys that end a line, then waits for the demo's echo of the line read
  /// and for the next prompt (keys typed before a prompt shows are type-ahead,
  /// which the terminal driver handles in cooked mode).
  func enter(_ keys: String, reads line: String) throws {
    send(keys)
    try expect("read: [\(line)]")
    try expect("demo> ")
  }
}
