import Foundation
import TestSupport
import Testing

/// `scopelab replay` on the built binary: the transcripts kept under Tests/Transcripts
/// check clean; a changed word or a moved timing is caught and explained; bless repairs
/// exactly the changed line; live replay paces like the recording and writes an asciicast
/// that parses; a transcript that starts processes never runs them without consent.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ReplayEndToEndTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  /// Tests/Transcripts, beside this file's folder.
  static let transcripts: String = {
    var path = URL(fileURLWithPath: #filePath)
    path.deleteLastPathComponent()
    path.deleteLastPathComponent()
    return path.appendingPathComponent("Transcripts").path
  }()

  static func kept() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: transcripts)
      .filter { $0.hasSuffix(".md") }.sorted().map { transcripts + "/" + $0 }
  }

  /// A copy of the kept transcript `name` in this test's home, changed by `change`.
  private func copy(_ name: String, _ change: (String) -> String = { $0 }) throws -> String {
    let original = try String(contentsOfFile: Self.transcripts + "/" + name, encoding: .utf8)
    let path = scopelab.home.path + "/" + name
    try change(original).write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  private func contents(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
  }

  // MARK: - Check

  @Test func theKeptTranscriptsCheckClean() throws {
    let files = try Self.kept()
    try #require(files.count >= 3)
    // Late sides three times as wide, as LessonEndToEndTests checks a lesson: this runs
    // beside four other runs of the suite, and process-teardown.md's exit once came 104 ms
    // after its reap (window: 100 ms); a teardown that waited out its 1 s grace still fails.
    let finished = try scopelab.run(
      ["replay", "--check", "--trust", "--slack", "3"] + files, timeout: 60)
    #expect(finished.status == 0, "\(finished)")
    for file in files { #expect(finished.output.contains("ok \(file) ("), "\(finished)") }
    #expect(finished.lines.last == "\(files.count) passed, 0 failed", "\(finished)")
  }

  @Test func aSessionRecordedInTheREPLChecksClean() throws {
    let path = scopelab.home.path + "/recorded.md"
    let input = """
      set timeout 300ms
      run timeout $timeout { sleep $sleep; print done }; print after
      timeout 1 {
        scope A(slow-exit=0.1) { print body }
      }
      nonsense
      params

      """
    let recorded = try scopelab.run(["--record", path], input: input)
    #expect(recorded.status == 2, "'nonsense' is invalid: \(recorded)")
    let text = try contents(path)
    #expect(text.hasPrefix("---\nscopelab: transcript\n---\n\n```scopelab\nscopelab> set timeout"))
    let check = try scopelab.run(["replay", "--check", path])
    #expect(check.status == 0, "\(text)\n\(check)")
    #expect(check.output.hasPrefix("ok \(path) (5 commands, "), "\(check)")
  }

  @Test func aChangedWordIsCaughtWithADiffAndTheActualFile() throws {
    let path = try copy("sleep-vs-timeout.md") {
      $0.replacingOccurrences(of: "  1.001s    done", with: "  1.001s    finished")
    }
    let finished = try scopelab.run(["replay", "--check", path])
    #expect(finished.status == 1, "\(finished)")
    #expect(finished.output.hasPrefix("FAIL \(path)\n--- \(path)\n+++ \(path).actual\n@@ -"))
    #expect(finished.output.contains("\n-  1.001s    finished\n+  1.0"), "\(finished)")
    #expect(finished.lines.last == "0 passed, 1 failed")
    // FILE.actual is the file as bless would write it: the changed line only is new.
    let original = try contents(Self.transcripts + "/sleep-vs-timeout.md").split(separator: "\n")
    let actual = try contents(path + ".actual").split(separator: "\n")
    #expect(actual.count == original.count)
    let changed = zip(original, actual).filter { $0 != $1 }
    #expect(changed.count <= 1 && changed.allSatisfy { $0.1.hasSuffix("s    done") }, "\(changed)")
  }

  @Test func aTimingOutsideItsWindowIsCaughtAndExplained() throws {
    // Early, not late: on a busy machine the check moves every late edge (as far as 1 s,
    // SchedulingProbe), and a deadline that fires at 0.500s could then pass for a
    // written 0.200s; the early edge never moves.
    let path = try copy("sleep-vs-timeout.md") {
      $0.replacingOccurrences(of: "  0.500s    fired", with: "  1.500s    fired")
    }
    let finished = try scopelab.run(["replay", "--check", path])
    #expect(finished.status == 1, "\(finished)")
    #expect(
      finished.output.contains("s is early: the window for 1.500s is 1.480s to "),
      "\(finished)")
  }

  @Test func blessRepairsExactlyTheChangedLineAndTwiceChangesNothing() throws {
    let path = try copy("decisive-steps.md") {
      $0.replacingOccurrences(of: "      body\n", with: "      bodie\n")
    }
    let original = try contents(Self.transcripts + "/decisive-steps.md").split(separator: "\n")
    let first = try scopelab.run(["replay", "--check", "--bless", path])
    #expect(first.status == 0, "\(first)")
    // Only the changed line was rewritten: as printed now, so its time may differ.
    let blessed = try contents(path)
    let lines = blessed.split(separator: "\n")
    #expect(lines.count == original.count)
    let changed = zip(original, lines).filter { $0 != $1 }
    #expect(
      changed.count <= 1 && changed.allSatisfy { $0.1.hasSuffix("s      body") }, "\(changed)")
    let second = try scopelab.run(["replay", "--bless", path])
    #expect(second.status == 0 && !second.output.contains("blessed"), "\(second)")
    #expect(try contents(path) == blessed, "a second bless changes nothing")
  }

  @Test func malformedAndBinaryFilesAreOneLineErrors() throws {
    let bad = scopelab.home.path + "/bad.md"
    try "```scopelab\nscopelab> help\n% pause: 1s\n```\n".write(
      toFile: bad, atomically: true, encoding: .utf8)
    let binary = scopelab.home.path + "/binary.md"
    try Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0xFF, 0x10]).write(to: URL(fileURLWithPath: binary))
    let finished = try scopelab.run(["replay", "--check", bad, binary])
    #expect(finished.status == 2, "\(finished)")
    #expect(
      finished.errors
        == "error: \(bad):3: unknown directive '% pause' (known: % wait: N.Ns, % interrupt: N.Ns; an output line"
        + " that starts with % is written %%)\nerror: \(binary):1: not UTF-8 text: is this a"
        + " transcript?\n", "\(finished)")
  }

  // MARK: - Trust

  @Test func processesNeverRunWithoutConsent() throws {
    let path = try copy("process-teardown.md")
    for arguments in [["replay", path], ["replay", "--check", path]] {
      let finished = try scopelab.run(arguments)
      #expect(finished.status == 2, "\(finished)")
      #expect(
        finished.errors.contains("line 6: timeout 0.3 { runner { process sh -c"), "\(finished)")
      #expect(finished.errors.contains("replay it with --trust"))
      #expect(!finished.output.contains("stdout |"), "nothing ran: \(finished)")
    }
  }

  /// The reproductions, through the binary with no terminal: each file would have
  /// started `echo MARKER` (or python3), and none may.
  @Test func nothingFromAFileStartsAProcessFromAPipe() throws {
    let home = scopelab.home.path
    let lesson = home + "/stranger.md"
    try """
    ---
    id: stranger
    title: A stranger's lesson
    ---

    ## Only step

    ```scope
    process echo mark-e2e { wait }
    ```

    ```scopelab
    scopelab stranger 1/1> run
    ...
    ```

    """.write(toFile: lesson, atomically: true, encoding: .utf8)
    let files = [
      "opens.md": "```scopelab\nscopelab> lesson \(lesson)\n...\nscopelab> run\n...\n```\n",
      "front.md":
        "---\nscopelab: transcript\nlesson: \(lesson)\n---\n```scopelab\nscopelab> compare\n...\n```\n",
      "compare.md": "```scopelab\nscopelab> compare print hi\n...\n```\n",
      "builtin.md":
        "---\nscopelab: transcript\nlesson: process-scope\n---\n```scopelab\nscopelab> run\n...\n```\n",
    ]
    for (name, text) in files {
      try text.write(toFile: home + "/" + name, atomically: true, encoding: .utf8)
    }
    for file in [lesson] + files.keys.sorted().map({ home + "/" + $0 }) {
      for arguments in [["replay", file], ["replay", "--check", file]] {
        let finished = try scopelab.run(arguments)
        #expect(finished.status == 2, "\(arguments): \(finished)")
        #expect(finished.errors.contains("replay it with --trust"), "\(arguments): \(finished)")
        #expect(!finished.output.contains("| mark-e2e"), "\(arguments): \(finished)")
        #expect(!finished.output.contains("enter process"), "\(arguments): \(finished)")
        #expect(!finished.output.contains("python"), "\(arguments): \(finished)")
      }
    }
    // `replay --check FILE` typed in a REPL fed from a pipe: no terminal to ask either.
    let repl = try scopelab.run([], input: "replay --check \(lesson)\n")
    #expect(repl.status == 2, "\(repl)")
    #expect(repl.errors.contains("replay it with --trust"), "\(repl)")
    #expect(!repl.output.contains("| mark-e2e"), "\(repl)")
  }

  // MARK: - Portable transcripts

  /// Runs scopelab with `arguments` in the folder `directory`.
  private func run(in directory: String, _ arguments: [String], input: String = "") throws
    -> Finished
  {
    let process = try PipedProcess(
      executable: "/bin/sh",
      arguments: ["-c", "cd \"$0\" && exec \"$@\"", directory]
        + [try Scopelab.path()] + arguments,
      environment: scopelab.environment(), input: Array(input.utf8))
    let termination = try process.finish(timeout: 30)
    return Finished(
      termination: termination, output: process.outputText, errors: process.errorText)
  }

  /// A teacher records in a lesson of their own, from the folder above it; the recordings
  /// name the lesson file relative to themselves and check from anywhere else.
  @Test func recordingsInAFileLessonReplayFromAnyFolder() throws {
    let home = scopelab.home.path
    try FileManager.default.createDirectory(
      atPath: home + "/course", withIntermediateDirectories: true)
    try """
    ---
    id: mine
    title: My lesson
    ---

    ## One

    ```scope
    print one
    ```

    ## Two

    ```scope
    print two
    ```

    """.write(toFile: home + "/course/mine.md", atomically: true, encoding: .utf8)
    let typed = try run(
      in: home, ["--record", "course/typed.md"], input: "lesson course/mine.md\nnext\nrun\n")
    #expect(typed.status == 0, "\(typed)")
    let typedText = try contents(home + "/course/typed.md")
    #expect(typedText.contains("scopelab> lesson mine.md\n"), "\(typedText)")
    let opened = try run(
      in: home, ["--lesson", "course/mine.md", "--record", "course/opened.md"], input: "run\n")
    #expect(opened.status == 0, "\(opened)")
    let openedText = try contents(home + "/course/opened.md")
    #expect(openedText.contains("lesson: mine.md\n"), "\(openedText)")
    for file in ["typed.md", "opened.md"] {
      for folder in ["/", home, home + "/course"] {
        let checked = try run(in: folder, ["replay", "--check", home + "/course/" + file])
        #expect(checked.status == 0, "\(file) from \(folder): \(checked)")
      }
    }
    // Relative to the transcript, not to where scopelab runs.
    let relative = try run(in: home, ["replay", "--check", "course/typed.md"])
    #expect(relative.status == 0, "\(relative)")
  }

  // MARK: - Live replay

  @Test func liveReplayPacesLikeTheRecordingAndItsAsciicastParses() throws {
    let path = scopelab.home.path + "/paced.md"
    try "```scopelab\nscopelab> print one\n...\n% wait: 0.8s\nscopelab> print two\n...\n```\n"
      .write(toFile: path, atomically: true, encoding: .utf8)
    let cast = scopelab.home.path + "/paced.cast"
    let start = Date()
    let finished = try scopelab.run(["replay", path, "--asciicast", cast])
    let elapsed = Date().timeIntervalSince(start)
    #expect(finished.status == 0, "\(finished)")
    // The print's time is a few milliseconds at most, more on a loaded machine.
    #expect(finished.output.contains("scopelab> print one\n  0.0"), "\(finished)")
    #expect(finished.output.contains("s  one\n"), "\(finished)")
    #expect(elapsed >= 0.8, "the recorded pause is kept: \(elapsed)s")
    let rows = try contents(cast).split(separator: "\n").map(String.init)
    let header = try #require(
      try JSONSerialization.jsonObject(with: Data(rows[0].utf8)) as? [String: Any])
    #expect(header["version"] as? Int == 2 && header["height"] as? Int == 24)
    var times: [(Double, String)] = []
    for row in rows.dropFirst() {
      let event = try #require(try JSONSerialization.jsonObject(with: Data(row.utf8)) as? [Any])
      times.append((try #require(event[0] as? Double), try #require(event[2] as? String)))
    }
    let one = try #require(times.firstIndex { $0.1.contains("one\r\n") })
    let two = try #require(times.firstIndex { $0.1.contains("scopelab> ") && $0.0 > times[one].0 })
    #expect(times[two].0 - times[one].0 >= 0.75, "the pause is in the cast: \(times)")

    let fast = try scopelab.run(["replay", path, "--speed", "8"])
    #expect(fast.status == 0)
  }

  /// The cast at `path`: its header and its events as (seconds, text).
  private func cast(_ path: String) throws -> (header: [String: Any], events: [(Double, String)]) {
    let rows = try contents(path).split(separator: "\n").map(String.init)
    let header = try #require(
      try JSONSerialization.jsonObject(with: Data(rows[0].utf8)) as? [String: Any])
    var events: [(Double, String)] = []
    for row in rows.dropFirst() {
      let event = try #require(try JSONSerialization.jsonObject(with: Data(row.utf8)) as? [Any])
      events.append((try #require(event[0] as? Double), try #require(event[2] as? String)))
    }
    return (header, events)
  }

  @Test func theCastIsTheTerminalsSizeOrSizesAndIdleLimitCapsAPause() throws {
    let path = scopelab.home.path + "/sized.md"
    try "```scopelab\nscopelab> print one\n...\n% wait: 30s\nscopelab> print two\n...\n```\n"
      .write(toFile: path, atomically: true, encoding: .utf8)
    // At a terminal of 100x37, the cast is 100x37.
    let terminalCast = scopelab.home.path + "/terminal.cast"
    let terminal = try scopelab.startInTerminal(
      ["replay", path, "--asciicast", terminalCast, "--idle-limit", "0.2"], columns: 100, rows: 37)
    #expect(terminal.waitForExit(timeout: 30) == 0, "\(terminal.text)")
    let atTerminal = try cast(terminalCast).header
    #expect(atTerminal["width"] as? Int == 100 && atTerminal["height"] as? Int == 37)
    // --size says otherwise; the 30 s pause is capped at --idle-limit, which the header names.
    let sizedCast = scopelab.home.path + "/sized.cast"
    let finished = try scopelab.run(
      ["replay", path, "--asciicast", sizedCast, "--size", "120x40", "--idle-limit", "0.5"])
    #expect(finished.status == 0, "\(finished)")
    let (header, events) = try cast(sizedCast)
    #expect(header["width"] as? Int == 120 && header["height"] as? Int == 40, "\(header)")
    #expect(header["idle_time_limit"] as? Double == 0.5, "\(header)")
    let one = try #require(events.firstIndex { $0.1.contains("one\r\n") })
    let two = try #require(events.firstIndex { $0.1 == "scopelab> " && $0.0 > events[one].0 })
    let pause = events[two].0 - events[one].0
    #expect(pause >= 0.45 && pause < 10, "the 30 s pause capped at 0.5 s: \(pause)")
    for (arguments, message) in [
      (["--size", "0x24"], "error: --size is COLUMNSxROWS, like 100x30"),
      (["--size", "100000x30"], "error: --size is COLUMNSxROWS, like 100x30"),
      (["--size", "wide"], "error: --size is COLUMNSxROWS, like 100x30"),
      (["--idle-limit", "-1"], "error: --idle-limit takes a time above 0"),
      (["--idle-limit", "forever"], "error: --idle-limit takes a time above 0"),
    ] {
      let refused = try scopelab.run(
        ["replay", path, "--asciicast", scopelab.home.path + "/bad.cast"] + arguments)
      #expect(refused.status == 2, "\(arguments): \(refused)")
      #expect(refused.errors.hasPrefix(message), "\(arguments): \(refused)")
      #expect(refused.errors.split(separator: "\n").count == 1, "one line: \(refused)")
      #expect(refused.output.isEmpty)
    }
    #expect(!FileManager.default.fileExists(atPath: scopelab.home.path + "/bad.cast"))
  }

  @Test func aCastMadeWithoutRunningAsksNothingAndRunsNothing() throws {
    let home = scopelab.home.path
    let marker = home + "/marker"
    let path = home + "/process.md"
    try """
    ```scopelab
    scopelab> process sh -c "touch \(marker)" { wait }
      0.000s  enter process#1
      0.002s    started pid [PID]: sh -c 'touch \(marker)'
      0.004s    status pid [PID] exited(0)
      0.004s    reaped pid [PID]
      0.004s  exit process#1 (received none)
      0.004s  exit-done process#1
      2.250s  => ok
    audit: ok - 1 exit ran once, no child process left
    % wait: 1.5s
    scopelab> print done
      0.000s  done
      0.000s  => ok
    ```

    """.write(toFile: path, atomically: true, encoding: .utf8)
    // Replayed for real from a pipe, it is refused: nobody is there to say yes.
    let live = try scopelab.run(["replay", path, "--asciicast", home + "/live.cast"])
    #expect(live.status == 2, "\(live)")
    #expect(!FileManager.default.fileExists(atPath: marker))
    let castPath = home + "/process.cast"
    let finished = try scopelab.run(["replay", path, "--asciicast", castPath, "--no-run"])
    #expect(finished.status == 0, "\(finished)")
    #expect(finished.errors.isEmpty, "no question, no refusal: \(finished)")
    #expect(
      finished.output.hasPrefix("wrote \(castPath) without running anything: 2 commands, "),
      "\(finished)")
    #expect(!FileManager.default.fileExists(atPath: marker), "the process never ran")
    let (header, events) = try cast(castPath)
    #expect(header["width"] as? Int == 80 && header["height"] as? Int == 24)
    #expect(header["idle_time_limit"] == nil)
    func time(_ text: String) throws -> Double {
      try #require(events.first { $0.1.contains(text) }, "\(text) in \(events)").0
    }
    let start = try time("enter process#1")
    // Each line when the trace says; the 1.5 s pause kept (under the default cap of 3 s).
    for (text, after) in [("started pid", 0.002), ("reaped pid", 0.004), ("=> ok", 2.25)] {
      #expect(abs(try time(text) - start - after) < 0.000_01, "\(text): \(events)")
    }
    #expect(abs(try time("audit: ok") - start - 2.25) < 0.000_01)
    let prompt = try #require(events.last { $0.1 == "scopelab> " }).0
    #expect(abs(prompt - start - 3.75) < 0.000_01, "\(events)")
    let shown = events.map(\.1).joined()
    #expect(shown.hasSuffix("scopelab> print done\r\n  0.000s  done\r\n  0.000s  => ok\r\n"))
  }

  @Test func badOptionsAreErrors() throws {
    for (arguments, message) in [
      (["replay", "x.md", "--speed", "0"], "error: --speed must be a number above 0"),
      (
        ["replay", "x.md", "--slack", "0.5", "--check"],
        "error: --slack must be a number of 1 or more"
      ),
      (
        ["replay", "x.md", "--check", "--asciicast", "o.cast"],
        "error: --asciicast records a live replay"
      ),
      (["replay"], "error: replay needs a transcript file"),
    ] {
      let finished = try scopelab.run(arguments)
      #expect(finished.status == 2, "\(arguments): \(finished)")
      #expect(finished.errors.hasPrefix(message), "\(arguments): \(finished)")
    }
    let ci = try Scopelab()
    let path = try copy("decisive-steps.md")
    let process = try PipedProcess(
      executable: Scopelab.path(), arguments: ["replay", "--bless", path],
      environment: ci.environment(["CI": "true"]), input: [])
    let termination = try process.finish(timeout: 30)
    #expect(termination == .exited(2), "\(process.errorText)")
    #expect(process.errorText.hasPrefix("error: --bless is refused where CI=true"))
  }
}
