import Glibc
import TestSupport
import Testing

/// Output longer than the screen goes through a pager at a terminal, as git's does, and
/// straight out in a pipe; the pager is a fake one here, a shell command that writes what
/// it was given to a file.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct PagerEndToEndTests {
  static let prompt = "scopelab> "
  /// A line of `show source timeout` (106 lines): longer than a 24-row screen.
  static let sourceLine = "// Sources/AsyncScope/Timeout.swift"

  let scopelab: Scopelab
  let files: TemporaryDirectory

  init() throws {
    scopelab = try Scopelab()
    files = try TemporaryDirectory(prefix: "scopelab-pager")
  }

  var paged: String { files.path + "/paged.txt" }

  /// The REPL in a terminal of 80 by 24 with `pager` as SCOPELAB_PAGER.
  func start(pager: String, extra: [String: String] = [:]) throws -> PseudoTerminal {
    let terminal = try scopelab.startInTerminal(
      environment: ["SCOPELAB_PAGER": pager].merging(extra) { _, new in new })
    try terminal.expect(Self.prompt)
    return terminal
  }

  @Test func longOutputGoesThroughThePagerAndNotToTheScreen() throws {
    let terminal = try start(pager: "cat >> '\(paged)'")
    terminal.send("show source timeout\r")
    let screen = try terminal.expect(Self.prompt)
    let text = try #require(files.read("paged.txt"), "the pager was not run")
    #expect(text.contains(Self.sourceLine))
    #expect(text.split(separator: "\n").count > 24)
    #expect(!screen.contains(Self.sourceLine), "printed as well: \(screen.debugDescription)")
    terminal.send("quit\r")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func aLongCheckReportIsPagedOnceTheCheckIsDone() throws {
    // Lesson 8's third step: the course's Timeout, which breaks four rules, each printed
    // with the trace that broke it - far longer than 24 rows.
    let terminal = try start(pager: "cat >> '\(paged)'")
    terminal.send("lesson your-own-timeout\r")
    try terminal.expect("> ")
    terminal.send("step 3\r")
    try terminal.expect("3/5> ")
    terminal.send("check\r")
    let screen = try terminal.expect("3/5> ", timeout: 120)
    let text = try #require(files.read("paged.txt"), "the pager was not run: \(screen)")
    #expect(text.contains("check Timeout (--kind timeout) in"), "\(text)")
    #expect(text.contains(" of 13 rules broken:"), "\(text)")
    #expect(text.split(separator: "\n").count > 24)
    #expect(!screen.contains("the trace that broke it"), "printed as well: \(screen)")
    terminal.send("quit\r")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func shortOutputIsPrintedWithoutThePager() throws {
    let terminal = try start(pager: "cat >> '\(paged)'")
    terminal.send("help why\r")
    let screen = try terminal.expect(Self.prompt)
    #expect(screen.contains("usage: why"))
    #expect(files.read("paged.txt") == nil, "a short text was paged")
    terminal.send("quit\r")
    _ = terminal.waitForExit()
  }

  @Test func aPagerThatCannotStartFallsBackToPrintingWithoutAnError() throws {
    for pager in ["/nonexistent/pager", "no-such-pager-anywhere -R"] {
      let terminal = try start(pager: pager)
      terminal.send("show source timeout\r")
      let screen = try terminal.expect(Self.prompt)
      #expect(screen.contains(Self.sourceLine), "\(pager): nothing printed")
      #expect(!screen.contains("not found") && !screen.contains("sh: "), "\(screen)")
      terminal.send("quit\r")
      _ = terminal.waitForExit()
    }
  }

  @Test func ctrlCInThePagerEndsThePagerNotScopelab() throws {
    // A pager that waits to be interrupted (a shell in the same foreground group).
    let terminal = try start(pager: "cat > /dev/null; echo paging > '\(paged)'; exec sleep 30")
    terminal.send("show source timeout\r")
    // The pager is running once it wrote its mark.
    #expect(
      try eventually("the pager never wrote its mark") { files.read("paged.txt") } == "paging\n")
    terminal.send("\u{03}")
    try terminal.expect(Self.prompt)
    terminal.send("help why\r")
    try terminal.expect("usage: why")
    terminal.send("quit\r")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func theTerminalIsPutBackAfterAPagerThatLeftItRaw() throws {
    // An editor that only writes down the terminal's settings it is started with.
    try files.write("editor.sh", "#!/bin/sh\nstty -a > '\(files.path)/stty.txt'\n")
    chmod(files.path + "/editor.sh", 0o755)
    let terminal = try start(
      pager: "cat > /dev/null; stty raw -echo", extra: ["EDITOR": files.path + "/editor.sh"])
    terminal.send("show source timeout\r")
    try terminal.expect(Self.prompt)
    terminal.send("edit\r")
    try terminal.expect(Self.prompt)
    let settings = try #require(files.read("stty.txt"), "the editor did not run")
    let flags = settings.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" })
    #expect(flags.contains("icanon") && flags.contains("echo"), "\(settings)")
    terminal.send("quit\r")
    _ = terminal.waitForExit()
  }

  @Test func inAPipeTheTextGoesStraightOut() throws {
    let process = try PipedProcess(
      executable: Scopelab.path(), arguments: [],
      environment: scopelab.environment(["SCOPELAB_PAGER": "cat >> '\(paged)'"]),
      input: Array("show source timeout\n".utf8))
    _ = try process.finish(timeout: 30)
    #expect(process.outputText.contains(Self.sourceLine))
    #expect(files.read("paged.txt") == nil, "a pipe was paged")
  }

  @Test func aRecordingGetsTheTextAndNoPager() throws {
    let transcript = files.path + "/session.md"
    let terminal = try start(pager: "cat >> '\(paged)'")
    terminal.send("record \(transcript)\r")
    try terminal.expect(Self.prompt)
    terminal.send("show source timeout\r")
    let screen = try terminal.expect(Self.prompt)
    terminal.send("record stop\r")
    try terminal.expect(Self.prompt)
    terminal.send("quit\r")
    _ = terminal.waitForExit()
    #expect(screen.contains(Self.sourceLine))
    #expect(files.read("paged.txt") == nil, "paged while recording")
    #expect(files.read("session.md")?.contains(Self.sourceLine) == true)
  }
}
