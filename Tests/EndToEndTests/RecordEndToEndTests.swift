import Glibc
import TestSupport
import Testing

/// `scopelab --record FILE [--force]` (DESIGN.md "Contract: command line"): the REPL
/// records the session from its first command, over a pipe too, and every line shown is
/// in the file at once - a `kill -9` loses nothing already shown.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RecordEndToEndTests {
  let scopelab: Scopelab
  let opening = "---\nscopelab: transcript\n---\n\n```scopelab\n"

  init() throws {
    scopelab = try Scopelab()
  }

  private var path: String { scopelab.home.path + "/out.md" }

  /// A Ctrl-C during a recorded run is kept with its moment (`% interrupt: N.NNs`), and
  /// `replay --check` and live replay press it again then: the interrupted run replays as
  /// it was, in about the time it took.
  @Test func aRecordedCtrlCReplaysAtItsMoment() throws {
    let process = try scopelab.start(
      ["--record", path], input: Array("run timeout 10 { sleep 5 }\nprint after\n".utf8))
    _ = try process.expectOutput("enter timeout#1")
    usleep(700_000)
    process.signal(SIGINT)
    _ = try process.finish(timeout: 20)
    let recorded = try #require(scopelab.home.read("out.md"))
    let interrupt = try #require(
      recorded.split(separator: "\n").first { $0.hasPrefix("% interrupt: ") }, "\(recorded)")
    let moment = try #require(Double(interrupt.dropFirst("% interrupt: ".count).dropLast()))
    #expect((0.6...3).contains(moment), "\(recorded)")
    #expect(recorded.contains("=> KeyboardInterrupt"), "\(recorded)")
    let checked = try scopelab.run(["replay", "--check", path])
    #expect(checked.status == 0, "\(checked)")
    let live = try scopelab.run(["replay", path])
    #expect(live.status == 0, "\(live)")
    #expect(live.output.contains("^C\n"), "\(live)")
    #expect(live.output.contains("=> KeyboardInterrupt"), "\(live)")
    #expect(live.output.contains("after"), "the replay went on after the pressed Ctrl-C: \(live)")
  }

  /// What a recording shows of the recorder's saved progress ("Resuming at step 2", an
  /// exercise solved before) is what its replay shows on a machine with none.
  ///
  /// `show`, not `run`, shows that the replay is at the recorder's step: a run's times are
  /// the recorder's, and a run recorded late on a busy machine is "early" when replayed
  /// on time - which is not what this test is about.
  @Test func aRecordingDoesNotDependOnTheRecordersProgress() throws {
    let before = try scopelab.run([], input: "lesson runner-flag\nnext\nnext\n")
    #expect(before.status == 0, "\(before)")
    let recorded = try scopelab.run(["--record", path], input: "lesson runner-flag\nshow\n")
    #expect(recorded.status == 0, "\(recorded)")
    let text = try #require(scopelab.home.read("out.md"))
    #expect(text.contains("Resuming at step 3"), "\(text)")
    // Step 3's own text, shown again.
    #expect(text.contains("The same under withScope"), "\(text)")
    #expect(text.contains("\nprogress: {"), "\(text)")
    let elsewhere = try Scopelab()
    let copy = elsewhere.home.path + "/out.md"
    try elsewhere.home.write("out.md", text)
    let checked = try elsewhere.run(["replay", "--check", copy])
    #expect(checked.status == 0, "\(checked)")
    // Nor does the replay touch the progress of whoever replays it.
    #expect(elsewhere.home.read("state/scopelab/progress.json") == nil)
  }

  /// A file that stops growing (here a file-size limit, as a full disk would): the error
  /// says so, the session goes on, and the REPL exits 1, so a script learns of it; what
  /// was written before is a transcript cut short, which replays with a warning.
  @Test func aRecordingThatCannotBeWrittenExitsNonZeroAndReplaysCutShort() throws {
    let input = (1...40).map { "run print line-\($0)-of-some-length-to-fill-the-file\n" }.joined()
    // `ulimit -f 2`: 1 KiB at most (2 blocks of 512 bytes); SIGXFSZ ignored across exec,
    // so a write past the limit fails with EFBIG instead of killing scopelab.
    let process = try PipedProcess(
      executable: "/bin/sh",
      arguments: [
        "-c", "ulimit -f 2; trap '' XFSZ; exec \"$0\" --record \"$1\"", try Scopelab.path(), path,
      ],
      environment: scopelab.environment(), input: Array(input.utf8))
    let termination = try process.finish(timeout: 30)
    let finished = Finished(
      termination: termination, output: process.outputText, errors: process.errorText)
    #expect(finished.status == 1, "\(finished)")
    #expect(finished.errors.contains("recording stopped"), "\(finished)")
    #expect(finished.output.contains("line-40-"), "the session went on: \(finished)")
    let replayed = try scopelab.run(["replay", "--check", path])
    #expect(replayed.status == 0, "\(replayed)")
    #expect(
      replayed.errors.contains("never closed: a recording cut short, read as far as it goes"),
      "\(replayed)")
  }

  @Test func aPipedSessionIsWrittenAsATranscript() throws {
    let input = "set sleep 3\nrun print hi\nrnu\ntimeout 1 {\n  print \"%d\" }\n"
    let finished = try scopelab.run(["--record", path], input: input)
    #expect(finished.status == 2, "\(finished)")
    let expected = """
      ---
      scopelab: transcript
      ---

      ```scopelab
      scopelab> set sleep 3
      sleep = 3s (was 1s)
      scopelab> run print hi
      T  hi
      T  => ok
      audit: ok - no scopes
      scopelab> rnu
      error: unknown command 'rnu' - did you mean 'run'? (type 'help' for the list)
      scopelab> timeout 1 {
      ...>   print "%d" }
      T  enter timeout#1
      T    %d
      T  exit timeout#1 (received none)
      T  exit-done timeout#1
      T  => ok
      """
    let file = try #require(scopelab.home.read("out.md"), "\(finished)")
    #expect(file.timesMasked.hasPrefix(expected + "\ntimeline "), "\(file)")
    #expect(file.hasSuffix("\naudit: ok - 1 exit ran once\n```\n"), "\(file)")
    #expect(finished.lines.first == "recording to \(path) (record stop to end)", "\(finished)")
    #expect(finished.lines.last == "recording stopped: \(path) (4 commands)", "\(finished)")
  }

  @Test func anExistingFileIsRefusedInAPipeAndNothingRuns() throws {
    try scopelab.home.write("out.md", "keep me\n")
    let finished = try scopelab.run(["--record", path], input: "run print hi\n")
    #expect(finished.status == 2, "\(finished)")
    #expect(
      finished.errors == "error: \(path) exists; use 'scopelab --record \(path) --force' "
        + "to overwrite\n", "\(finished)")
    #expect(!finished.output.contains("hi"), "\(finished)")
    #expect(scopelab.home.read("out.md") == "keep me\n")
  }

  @Test func forceOverwritesAnExistingFile() throws {
    try scopelab.home.write("out.md", "keep me\n" + String(repeating: "x", count: 300))
    let finished = try scopelab.run(["--record", path, "--force"], input: "set sleep 3\n")
    #expect(finished.status == 0, "\(finished)")
    #expect(
      scopelab.home.read("out.md") == opening + "scopelab> set sleep 3\nsleep = 3s (was 1s)\n```\n")
  }

  @Test func forceWithoutRecordIsAUsageError() throws {
    let finished = try scopelab.run(["--force"], input: "run print hi\n")
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.errors.contains("--force goes with --record FILE"), "\(finished)")
  }

  @Test func aDirectoryThatDoesNotExistIsOneLine() throws {
    let missing = scopelab.home.path + "/no/such/out.md"
    let finished = try scopelab.run(["--record", missing], input: "run print hi\n")
    #expect(finished.status == 2, "\(finished)")
    #expect(
      finished.errors
        == "error: cannot record to \(missing): there is no directory \(scopelab.home.path)/no/such\n",
      "\(finished)")
  }

  // MARK: - At a terminal

  @Test(arguments: ["y", "n"])
  func atATerminalAnExistingFileIsAskedAbout(_ answer: String) throws {
    try scopelab.home.write("out.md", "keep me\n")
    let terminal = try scopelab.startInTerminal(["--record", path])
    try terminal.expect("\(path) exists - overwrite? [y/N] ")
    terminal.send(answer + "\r")
    if answer == "y" {
      try terminal.expect("recording to \(path) (record stop to end)")
      try terminal.expect("scopelab> ")
      terminal.send("set sleep 3\r")
      try terminal.expect("scopelab> ")
      terminal.send("quit\r")
      #expect(terminal.waitForExit() == 0)
      let expected = opening + "scopelab> set sleep 3\nsleep = 3s (was 1s)\nscopelab> quit\n```\n"
      #expect(scopelab.home.read("out.md") == expected)
    } else {
      try terminal.expect("not recording: \(path) is left as it was")
      #expect(terminal.waitForExit() == 2)
      #expect(scopelab.home.read("out.md") == "keep me\n")
    }
  }

  // MARK: - Written as it happens

  @Test func killedWithSIGKILLTheFileHoldsEverythingShown() throws {
    let command = "run print started; process sleep 30 { wait }"
    let process = try scopelab.start(["--record", path], input: Array((command + "\n").utf8))
    try process.expectOutput("started pid")
    let file = try waitForFile { $0.contains("started pid") }
    let children = ProcessTable().descendants(of: process.pid)
    process.signal(SIGKILL)
    #expect(process.waitForExit() == .signaled(SIGKILL))
    for child in children { kill(child.pid, SIGKILL) }
    #expect(
      ProcessTable.waitUntilGone(pids: children.map(\.pid), groups: []).isEmpty,
      "the child is gone")
    let expected =
      opening + "scopelab> \(command)\nT  started\nT  enter process#1\n"
      + "T    started pid [PID]: sleep 30\n"
    #expect(file.timesMasked == expected, "\(file)")
    #expect(scopelab.home.read("out.md") == file, "nothing was written after")
  }

  @Test func stoppedWithSIGTERMTheTranscriptIsClosed() throws {
    let process = try scopelab.start(
      ["--record", path], input: Array("run print started; sleep 30\nrun print never\n".utf8))
    try process.expectOutput("started")
    _ = try waitForFile { $0.contains("started") }
    process.signal(SIGTERM)
    #expect(process.waitForExit() == .exited(128 + SIGTERM))
    let file = try #require(scopelab.home.read("out.md"))
    #expect(file.contains("interrupt: SIGTERM"), "\(file)")
    #expect(!file.contains("never"), "\(file)")
    #expect(file.hasSuffix("\n```\n"), "\(file)")
    #expect(process.outputText.contains("recording stopped: \(path) (1 command)"))
  }

  /// The transcript's contents once `ready` says so; throws after 10 s.
  private func waitForFile(_ ready: (String) -> Bool) throws -> String {
    try eventually(
      every: 0.05, "the transcript never got there: \(scopelab.home.read("out.md") ?? "none")"
    ) {
      scopelab.home.read("out.md").flatMap { ready($0) ? $0 : nil }
    }
  }
}

extension String {
  /// Each line with the trace's time at its start (`  0.012s`) replaced by `T`.
  fileprivate var timesMasked: String {
    split(separator: "\n", omittingEmptySubsequences: false).map { line in
      let trimmed = line.drop { $0 == " " }
      let number = trimmed.prefix { $0.isNumber || $0 == "." }
      guard number.contains("."), trimmed.dropFirst(number.count).first == "s" else {
        return String(line)
      }
      return "T" + trimmed.dropFirst(number.count + 1)
    }.joined(separator: "\n")
  }
}
