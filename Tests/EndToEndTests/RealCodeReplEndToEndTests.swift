import Glibc
import TestSupport
import Testing

/// Real code in the REPL at a terminal: `edit python` with an editor (a script that writes
/// the file it is given), then a bare `run` traced as `scopelab trace FILE`, and Ctrl-C
/// during such a run, which leaves no child behind.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RealCodeReplEndToEndTests {
  static let prompt = "scopelab> "

  let scopelab: Scopelab
  let files: TemporaryDirectory

  init() throws {
    scopelab = try Scopelab()
    files = try TemporaryDirectory(prefix: "scopelab-realcode-e2e")
  }

  /// A Python program with a scope of its own, whose body sleeps `sleep` seconds after
  /// writing its process id down.
  func program(sleep: Double) -> String {
    """
    import asyncio
    import os


    class Box:
        async def __aenter__(self):
            return self

        async def __aexit__(self, kind, error, tb):
            return False


    async def main():
        async with Box():
            with open("\(files.path)/pid.txt", "w") as out:
                out.write(str(os.getpid()))
            await asyncio.sleep(\(sleep))
            print("boxed")


    asyncio.run(main())
    """
  }

  /// The REPL at a terminal, with an editor that replaces its file with `code`.
  func start(editing code: String) throws -> PseudoTerminal {
    try files.write("code.py", code + "\n")
    try files.write("editor.sh", "#!/bin/sh\ncp '\(files.path)/code.py' \"$1\"\n")
    chmod(files.path + "/editor.sh", 0o755)
    let terminal = try scopelab.startInTerminal(
      environment: ["EDITOR": files.path + "/editor.sh"])
    try terminal.expect(Self.prompt)
    return terminal
  }

  @Test func editPythonSavesTheCodeAndRunTracesIt() throws {
    let terminal = try start(editing: program(sleep: 0.01))
    terminal.send("run print \"first\"\r")
    try terminal.expect(Self.prompt)
    terminal.send("edit python\r")
    let saved = try terminal.expect(Self.prompt)
    #expect(saved.contains("Saved to"), "\(saved)")
    let text = try #require(scopelab.home.read("state/scopelab/code/scratch.py"))
    #expect(text.contains("class Box:"))
    terminal.send("run\r")
    let run = try terminal.expect("audit:")
    #expect(run.contains("enter Box#1"), "\(run)")
    #expect(run.contains("boxed"))
    #expect(run.contains("=> ok"))
    try terminal.expect(Self.prompt)
    terminal.send("show swift\r")
    try terminal.expect("'show python' shows it")
    try terminal.expect(Self.prompt)
    terminal.send("quit\r")
    // `show swift` of Python code was an invalid command.
    #expect(terminal.waitForExit() == 2)
  }

  @Test func ctrlCStopsARunOfRealCodeAndLeavesNoChild() throws {
    let terminal = try start(editing: program(sleep: 30))
    terminal.send("run print \"first\"\r")
    try terminal.expect(Self.prompt)
    terminal.send("edit python\r")
    try terminal.expect(Self.prompt)
    terminal.send("run\r")
    try terminal.expect("enter Box#1", timeout: 20)
    let pid = try eventually("the program never wrote its pid") {
      files.read("pid.txt").flatMap { Int32($0) }
    }
    terminal.send("\u{03}")
    let stopped = try terminal.expect(Self.prompt, timeout: 20)
    #expect(stopped.contains("KeyboardInterrupt"), "\(stopped)")
    #expect(!stopped.contains("boxed"))
    #expect(kill(pid, 0) != 0, "the traced Python is still running")
    terminal.send("why\r")
    try terminal.expect("KeyboardInterrupt")
    try terminal.expect(Self.prompt)
    terminal.send("quit\r")
    #expect(terminal.waitForExit() == 0)
  }
}
