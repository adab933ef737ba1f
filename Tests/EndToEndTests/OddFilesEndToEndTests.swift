import Glibc
import TestSupport
import Testing

/// Files from strangers and odd files where scopelab expects its own, through the binary:
/// a FIFO or a device gets one warning or error, never a hang; nothing is overwritten
/// unasked; two sessions keep both lessons' progress. Every run has a deadline, so a
/// regression fails instead of hanging the suite.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct OddFilesEndToEndTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  private var state: String { scopelab.home.path + "/state/scopelab" }

  private func makeState() {
    #expect(system("mkdir -p '\(state)'") == 0)
  }

  @Test("a FIFO given as a transcript or a lesson is one error at once")
  func fifoTranscriptAndLesson() throws {
    let fifo = scopelab.home.path + "/session.md"
    try OddFile.makeFIFO(fifo)
    let replayed = try scopelab.run(["replay", "--check", fifo], timeout: 20)
    #expect(replayed.status == 2, "\(replayed)")
    #expect(
      replayed.errors == "error: \(fifo): is a named pipe (FIFO), not a transcript\n",
      "\(replayed)")
    let lesson = try scopelab.run(["--lesson", fifo], input: "where\n", timeout: 20)
    #expect(lesson.status == 2, "\(lesson)")
    #expect(lesson.errors.contains("is a named pipe (FIFO), not a transcript"), "\(lesson)")
    let typed = try scopelab.run([], input: "lesson \(fifo)\nprint after\n", timeout: 20)
    #expect(typed.errors.contains("is a named pipe (FIFO), not a transcript"), "\(typed)")
    #expect(typed.output.contains("after"), "the session goes on: \(typed)")
  }

  @Test("a FIFO where progress.json is: one warning, the session runs, the FIFO stays")
  func fifoProgress() throws {
    makeState()
    try OddFile.makeFIFO(state + "/progress.json")
    let finished = try scopelab.run([], input: "lesson 1\nnext\nlessons\n", timeout: 20)
    #expect(finished.status == 0, "\(finished)")
    #expect(
      finished.errors
        == "warning: the progress file \(state)/progress.json is a named pipe (FIFO), "
        + "not a progress file: starting fresh, and progress will not be saved\n", "\(finished)")
    #expect(finished.output.contains("runner-flag"), "\(finished)")
    var info = stat()
    #expect(lstat(state + "/progress.json", &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
  }

  @Test("history that is a link to /dev/zero or a FIFO: one warning at start, the REPL works")
  func oddHistoryAtATerminal() throws {
    makeState()
    for (make, what) in [
      ({ try OddFile.link(scopelab.historyPath, to: "/dev/zero") }, "is a device"),
      ({ try OddFile.makeFIFO(scopelab.historyPath) }, "is a named pipe (FIFO)"),
    ] as [(() throws -> Void, String)] {
      unlink(scopelab.historyPath)
      try make()
      let terminal = try scopelab.startInTerminal()
      let banner = try terminal.expect("scopelab> ")
      #expect(
        banner.contains(
          "scopelab: history not saved to \(scopelab.historyPath): \(what), not a history file"),
        "\(banner.debugDescription)")
      terminal.send("print hi\r")
      try terminal.expect("hi")
      let rest = try terminal.expect("scopelab> ")
      #expect(!rest.contains("history not saved"), "said once: \(rest.debugDescription)")
      terminal.send("\u{4}")
      #expect(terminal.waitForExit() == 0)
      var info = stat()
      #expect(lstat(scopelab.historyPath, &info) == 0)
      #expect(info.st_mode & S_IFMT != S_IFREG, "not replaced by a file")
    }
  }

  @Test("--asciicast OUT refuses an existing OUT without --force, and the transcript always")
  func asciicastOverwrite() throws {
    let transcript = scopelab.home.path + "/session.md"
    let text = "```scopelab\nscopelab> print one\n...\n```\n"
    try scopelab.home.write("session.md", text)
    try scopelab.home.write("old.cast", "keep\n")
    let cast = scopelab.home.path + "/old.cast"
    let refused = try scopelab.run(["replay", transcript, "--asciicast", cast])
    #expect(refused.status == 2, "\(refused)")
    #expect(
      refused.errors == "error: --asciicast \(cast) exists: add --force to replace it\n",
      "\(refused)")
    #expect(scopelab.home.read("old.cast") == "keep\n")
    let itself = try scopelab.run(
      ["replay", transcript, "--asciicast", transcript, "--force", "--speed", "100"])
    #expect(itself.status == 2, "\(itself)")
    #expect(itself.errors.contains("is the transcript being replayed"), "\(itself)")
    #expect(scopelab.home.read("session.md") == text)
    let forced = try scopelab.run(
      ["replay", transcript, "--asciicast", cast, "--force", "--speed", "100"])
    #expect(forced.status == 0, "\(forced)")
    #expect(scopelab.home.read("old.cast")?.hasPrefix("{\"version\": 2") == true)
  }

  @Test("two sessions at once, each in its own lesson: both lessons' progress is kept")
  func twoSessionsKeepBothLessons() throws {
    let first = try scopelab.start([], input: nil)
    let second = try scopelab.start([], input: nil)
    // Both have loaded the (empty) progress before either saves.
    first.send("lessons\n")
    second.send("lessons\n")
    _ = try first.expectOutput("runner-flag")
    _ = try second.expectOutput("runner-flag")
    first.send("lesson sleep-vs-timeout\nnext\n")
    _ = try first.expectOutput("sleep-vs-timeout 2/")
    second.send("lesson cancellation\nnext\n")
    _ = try second.expectOutput("cancellation 2/")
    first.closeInput()
    second.closeInput()
    #expect(first.waitForExit(timeout: 20) == .exited(0))
    #expect(second.waitForExit(timeout: 20) == .exited(0))
    let progress = String(
      decoding: try TextFileBytes.read(state + "/progress.json"), as: UTF8.self)
    #expect(progress.contains(#""sleep-vs-timeout": {"#), "\(progress)")
    #expect(progress.contains(#""cancellation": {"#), "\(progress)")
    #expect(progress.contains(#""current": "cancellation""#), "the last opened: \(progress)")
  }
}
