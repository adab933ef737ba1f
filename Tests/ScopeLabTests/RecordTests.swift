import AsyncScope
import LineEditor
import Testing

@testable import ScopeLab

/// `record FILE`, `record stop`: a session written to a transcript as it happens
/// (DESIGN.md "Lessons and transcripts: one format").
@Suite("Recording a transcript", .serialized)
struct RecordTests {
  let directory: ScratchDirectory

  init() throws {
    directory = try ScratchDirectory()
  }

  /// A session in memory, in colour when asked, and a loop reading `lines`.
  private func loop(
    _ lines: [(String, Duration)], lessons: any LessonNavigator = LessonGuide(),
    colour: Bool = false
  ) -> (ReplLoop, SessionHarness.Streams) {
    let streams = SessionHarness.Streams()
    let session = Session(
      output: streams.output, errors: streams.errors, palette: Palette(enabled: colour),
      lessons: lessons, transcripts: RecordAndReplay())
    let reader = PausingReader(lines)
    let time = reader.time
    let loop = ReplLoop(session: session, reader: reader, showsPrompt: false, now: { time.now })
    return (loop, streams)
  }

  private func loop(_ lines: [String], lessons: any LessonNavigator = LessonGuide()) -> (
    ReplLoop, SessionHarness.Streams
  ) {
    loop(lines.map { ($0, Duration.zero) }, lessons: lessons)
  }

  // MARK: - What the file holds

  @Test("commands as typed, their output and errors, a multi-line command, waits, colour gone")
  func exactTranscript() async throws {
    let path = directory.file("session.md")
    let (loop, streams) = loop(
      [
        ("record \(path)", .seconds(2)),
        ("set sleep 3", .milliseconds(200)),
        ("rnu", .milliseconds(1_500)),
        ("timeout 1 {", .seconds(3)),
        ("  sleeep 1 }", .seconds(5)),
        ("# a note", .seconds(1)),
        ("", .seconds(4)),
        ("reset", .zero),
        ("quit", .zero),
        ("run print never", .zero),
      ], colour: true)
    let status = await loop.run()
    #expect(status == 2)
    #expect(streams.errors.text.contains("\u{1B}[31merror:\u{1B}[0m unknown command 'rnu'"))
    let expected = """
      ---
      scopelab: transcript
      ---

      ```scopelab
      scopelab> set sleep 3
      sleep = 3s (was 1s)
      % wait: 1.5s
      scopelab> rnu
      error: unknown command 'rnu' - did you mean 'run'? (type 'help' for the list)
      % wait: 3.0s
      scopelab> timeout 1 {
      ...>   sleeep 1 }
      error: unknown statement 'sleeep' - did you mean 'sleep'?
       2 |   sleeep 1 }
         |   ^
      scopelab> # a note
      scopelab> reset
      parameters reset to their defaults: sleep = 1s, timeout = 2s, grace = 1s
      scopelab> quit
      ```

      """
    #expect(directory.read("session.md") == expected)
    #expect(streams.output.text.hasPrefix("recording to \(path) (record stop to end)\n"))
    #expect(streams.output.text.hasSuffix("recording stopped: \(path) (6 commands)\n"))
  }

  @Test("a run's trace: process ids masked, colour codes stripped, the timeline after it")
  func runWithProcess() async throws {
    let path = directory.file("run.md")
    let (loop, streams) = loop(
      [("record \(path)", .zero), ("run process true { wait }", .zero)], colour: true)
    #expect(await loop.run() == 0)
    let shown = streams.output.text
    #expect(shown.contains("\u{1B}["), "the terminal got colour: \(shown)")
    #expect(
      (1...9).contains { shown.contains("started pid \($0)") }, "the terminal got the pid: \(shown)"
    )
    let file = try #require(directory.read("run.md"))
    #expect(!file.contains("\u{1B}"), "\(file)")
    let lines = file.timesMasked.split(separator: "\n", omittingEmptySubsequences: false)
    let expected = """
      ---
      scopelab: transcript
      ---

      ```scopelab
      scopelab> run process true { wait }
      T  enter process#1
      T    started pid [PID]: true
      T    status pid [PID] exited(0)
      T    reaped pid [PID]
      T  exit process#1 (received none)
      T  exit-done process#1
      T  => ok
      """
    let head = expected.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(Array(lines.prefix(head.count)) == head, "\(file)")
    #expect(lines.dropFirst(head.count).first?.hasPrefix("timeline") == true, "\(file)")
    #expect(lines.suffix(2) == ["```", ""], "\(file)")
  }

  @Test("the front matter: the open lesson and step, the parameters not at their defaults")
  func frontMatterAndRecordStop() async throws {
    let path = directory.file("lesson.md")
    let (loop, streams) = loop(
      [
        "lesson demo", "set sleep 3", "set timeout 500ms", "set poll 1s", "set grace 1s",
        "record \(path)", "next", "record stop", "run print after",
      ], lessons: StubLessons())
    #expect(await loop.run() == 0)
    let expected = """
      ---
      scopelab: transcript
      lesson: demo
      step: 1
      set: sleep=3s, timeout=500ms, poll=1s
      ---

      ```scopelab
      scopelab demo 1/2> next
      demo: step 2
      ```

      """
    #expect(directory.read("lesson.md") == expected)
    let shown = """
      demo: step 1
      sleep = 3s (was 1s)
      timeout = 500ms (was 2s)
      poll = 1s (was 300ms)
      grace = 1s (was 1s)
      recording to \(path) (record stop to end)
      demo: step 2
      recording stopped: \(path) (1 command)

      """
    #expect(streams.output.text.hasPrefix(shown), "\(streams.output.text)")
    #expect(streams.output.text.dropFirst(shown.count).contains("after"))
  }

  @Test("the front matter of a session with nothing changed: only what it is")
  func plainFrontMatter() {
    let header = TranscriptHeader(position: nil, parameters: .builtIn)
    #expect(header.text == "---\nscopelab: transcript\n---\n")
    var parameters = Parameters.builtIn
    #expect(throws: Never.self) { try parameters.set("grace", to: "250ms") }
    let changed = TranscriptHeader(position: "sleep-vs-timeout 2/5", parameters: parameters)
    #expect(
      changed.text
        == "---\nscopelab: transcript\nlesson: sleep-vs-timeout\nstep: 2\nset: grace=250ms\n---\n"
    )
  }

  @Test("a command dropped with Ctrl-C, blank lines and record itself are not in the file")
  func notRecorded() async throws {
    let path = directory.file("dropped.md")
    let inputs: [LineInput] = [
      .line("record \(path)"), .line("timeout 1 {"), .interrupted, .line(""), .line("reset"),
      .line("record \(path)"), .line("record"),
    ]
    let streams = SessionHarness.Streams()
    let session = Session(
      output: streams.output, errors: streams.errors, transcripts: RecordAndReplay())
    let reader = ScriptedLineReader(inputs: inputs)
    #expect(await ReplLoop(session: session, reader: reader, showsPrompt: false).run() == 2)
    let expected = """
      ---
      scopelab: transcript
      ---

      ```scopelab
      scopelab> reset
      parameters reset to their defaults: sleep = 1s, timeout = 2s, grace = 1s
      ```

      """
    #expect(directory.read("dropped.md") == expected)
    #expect(
      streams.errors.text
        == "error: already recording to \(path): 'record stop' first\n"
        + "error: usage: record FILE [--force] | record stop\n")
  }

  // MARK: - Written as it happens

  @Test("each line is in the file as soon as it is printed, before recording stops")
  func progressive() async throws {
    let path = directory.file("live.md")
    let harness = SessionHarness()
    #expect(await harness.execute("record \(path)").result == .done)
    harness.session.recordTyped(TypedCommand(lines: ["set sleep 2"]))
    _ = await harness.execute("set sleep 2")
    let opening = "---\nscopelab: transcript\n---\n\n```scopelab\n"
    #expect(directory.read("live.md") == opening + "scopelab> set sleep 2\nsleep = 2s (was 1s)\n")
    harness.session.output.write("half a line")
    #expect(directory.read("live.md")?.contains("half") == false)
    harness.session.recordTyped(TypedCommand(lines: ["reset"]))
    #expect(directory.read("live.md")?.hasSuffix("half a line\nscopelab> reset\n") == true)
  }

  // MARK: - An existing file

  @Test("an existing file is refused when there is no terminal to ask, and left as it was")
  func refusesExistingFileInAPipe() async {
    directory.write("kept.md", "keep me\n")
    let path = directory.file("kept.md")
    let (loop, streams) = loop(["record \(path)", "set sleep 3"])
    #expect(await loop.run() == 2)
    #expect(
      streams.errors.text == "error: \(path) exists; use 'record \(path) --force' to overwrite\n")
    #expect(directory.read("kept.md") == "keep me\n")
    #expect(!streams.output.text.contains("recording"))
  }

  @Test("--force overwrites an existing file without asking", arguments: [true, false])
  func forceOverwrites(_ forceFirst: Bool) async {
    directory.write(
      "old.md",
      "an old transcript, longer than the new one will be\n" + String(repeating: "x", count: 500))
    let path = directory.file("old.md")
    let command = forceFirst ? "record --force \(path)" : "record \(path) --force"
    let (loop, streams) = loop([command, "set sleep 3"])
    #expect(await loop.run() == 0)
    #expect(streams.errors.text.isEmpty)
    let expected = """
      ---
      scopelab: transcript
      ---

      ```scopelab
      scopelab> set sleep 3
      sleep = 3s (was 1s)
      ```

      """
    #expect(directory.read("old.md") == expected)
  }

  @Test("at a terminal the user is asked; only yes overwrites", arguments: [true, false])
  func asksAtATerminal(_ answer: Bool) async {
    directory.write("ask.md", "keep me\n")
    let path = directory.file("ask.md")
    let harness = SessionHarness()
    let questions = Locked<[String]>([])
    harness.session.confirmation = { question in
      questions.withLock { $0.append(question) }
      return answer
    }
    let reply = await harness.execute("record \(path)")
    #expect(reply.result == .done)
    #expect(questions.withLock { $0 } == ["\(path) exists - overwrite? [y/N] "])
    harness.session.finishRecording()
    if answer {
      #expect(directory.read("ask.md") == "---\nscopelab: transcript\n---\n\n```scopelab\n```\n")
      #expect(reply.output == "recording to \(path) (record stop to end)\n")
    } else {
      #expect(directory.read("ask.md") == "keep me\n")
      #expect(reply.output == "not recording: \(path) is left as it was\n")
    }
  }

  @Test(
    "the question is read from the line reader: y or yes, nothing else",
    arguments: [
      (["y"], true), (["YES"], true), ([" yes "], true), (["n"], false), ([""], false),
      (["yeah"], false), ([], false),
    ])
  func askingOnTheReader(_ lines: [String], _ expected: Bool) async {
    let reader = ScriptedLineReader(lines)
    let output = CapturedOutput()
    let ask = Session.asking(on: reader, output: output)
    #expect(await ask("x.md exists - overwrite? [y/N] ") == expected)
    #expect(reader.prompts == ["x.md exists - overwrite? [y/N] "])
    #expect(output.text.isEmpty)
  }

  @Test("a question of several lines: the list is written first, the last line is the prompt")
  func askingSeveralLines() async {
    let reader = ScriptedLineReader(["y"])
    let output = CapturedOutput()
    let ask = Session.asking(on: reader, output: output)
    #expect(await ask("t.md would run:\n  line 2: run x\nReplay it? [y/N] "))
    #expect(output.text == "t.md would run:\n  line 2: run x\n")
    #expect(reader.prompts == ["Replay it? [y/N] "])
  }

  // MARK: - Errors

  @Test(
    "record's mistakes get one line each",
    arguments: [
      ("record", "error: usage: record FILE [--force] | record stop"),
      ("record a.md b.md", "error: record: one FILE please"),
      ("record -f a.md", "error: record: unknown option '-f'"),
      ("record stop", "error: not recording (start with 'record FILE')"),
      ("record /nonexistent-scopelab-dir/x.md", "there is no directory /nonexistent-scopelab-dir"),
    ])
  func mistakes(_ line: String, _ fragment: String) async {
    let reply = await SessionHarness().execute(line)
    reply.expectOneLineError(containing: fragment)
  }

  @Test("a directory is not a transcript file, with --force or without")
  func directoryRefused() async {
    for force in ["", " --force"] {
      let reply = await SessionHarness().execute("record \(directory.path)\(force)")
      reply.expectOneLineError(containing: "cannot record to \(directory.path): it is a directory")
    }
  }
}

extension SessionHarness {
  /// A session's two streams, for a session made by hand (in colour, or with a loop).
  struct Streams {
    let output = CapturedOutput()
    let errors = CapturedOutput()
  }
}
