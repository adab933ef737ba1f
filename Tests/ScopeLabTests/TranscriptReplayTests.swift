import AsyncScope
import Foundation
import TestSupport
import Testing

@testable import ScopeLab

/// `replay --check`, `--bless`, trust and live replay with its asciicast, through
/// ``ReplayCommandCore`` with captured output and files in a scratch directory.
@Suite("Transcripts: check, bless, trust, live replay", .serialized)
struct TranscriptReplayTests {
  /// A transcript whose output was read line by line against the trace rules by hand.
  static let session = """
    ---
    scopelab: transcript
    ---

    A short session.

    ```scopelab
    scopelab> set sleep 3
    sleep = 3s (was 1s)
    scopelab> run print hi
      0.000s  hi
      0.000s  => ok
    audit: ok - no scopes
    scopelab> bogus
    error: unknown command 'bogus' (type 'help' for the list)
    scopelab> run timeout 0.1 { sleep $sleep }
      0.000s  enter timeout#1
      0.100s    fired timeout#1: deadline passed, cancelling its body
      0.100s  exit timeout#1 (received CancellationError, expired)
      0.100s  exit-done timeout#1: CancellationError -> TimeoutError (deadline passed, TO3)
      0.100s  => TimeoutError: timeout(100ms) expired after 0.100s
    timeline[..]
    ...
    ```

    """

  let directory: TemporaryDirectory

  init() throws {
    directory = try TemporaryDirectory(prefix: "scopelab-replay")
  }

  private func path(_ name: String) -> String { directory.path + "/" + name }

  /// Runs the core on `files` (names in the scratch directory); status, output, errors.
  private func replay(
    _ files: [String], check: Bool = true, bless: Bool = false, trust: Bool = false,
    environment: [String: String] = [:], confirm: ReplayCommandCore.Confirm? = nil,
    configure: (inout ReplayCommandCore) -> Void = { _ in }
  ) async -> (status: Int32, output: String, errors: String) {
    var core = ReplayCommandCore(files: files.map(path))
    core.check = check
    core.bless = bless
    core.trust = trust
    core.environment = environment
    configure(&core)
    let output = CapturedOutput()
    let errors = CapturedOutput()
    let status = await core.run(
      output: output, errors: errors, confirm: confirm ?? { _ in nil }, pause: { _ in })
    return (status, output.text, errors.text)
  }

  // MARK: - Check

  @Test("a transcript whose output still holds checks clean")
  func checksClean() async throws {
    try directory.write("s.md", Self.session)
    let result = await replay(["s.md"])
    #expect(result.status == 0, "\(result)")
    #expect(result.output.hasPrefix("ok \(path("s.md")) (4 commands, "), "\(result.output)")
    #expect(result.output.hasSuffix("\n1 passed, 0 failed\n"))
    #expect(result.errors.isEmpty)
    #expect(directory.read("s.md.actual") == nil)
  }

  @Test("a one-word change is caught with a diff against the file's lines, and FILE.actual")
  func catchesAChangedWord() async throws {
    try directory.write(
      "s.md", Self.session.replacingOccurrences(of: "  0.000s  hi", with: "  0.000s  ho"))
    let result = await replay(["s.md"])
    #expect(result.status == 1)
    #expect(result.output.hasPrefix("FAIL \(path("s.md"))\n"), "\(result.output)")
    #expect(result.output.contains("-  0.000s  ho\n+  0.000s  hi\n"), "\(result.output)")
    #expect(result.output.contains("@@ -11"), "the hunk names the file's line 11: \(result.output)")
    #expect(result.output.hasSuffix("0 passed, 1 failed\n"))
    // FILE.actual is the file as bless would write it: here, the original again.
    #expect(directory.read("s.md.actual") == Self.session)
  }

  @Test("links planted at FILE.actual's temporary names and at FILE.actual write nothing through")
  func plantedLinksAreNotWrittenThrough() async throws {
    try directory.write(
      "s.md", Self.session.replacingOccurrences(of: "  0.000s  hi", with: "  0.000s  ho"))
    try directory.write("victim", "precious\n")
    // The old writer's temporary was FILE.actual.tmp-<pid>: plant this pid and the next ones.
    let pid = Int(getpid())
    for next in pid..<pid + 50 {
      try OddFile.link(path("s.md.actual.tmp-\(next)"), to: path("victim"))
    }
    let first = await replay(["s.md"])
    #expect(first.status == 1)
    #expect(directory.read("victim") == "precious\n")
    #expect(
      directory.read("s.md.actual")?.contains("s  hi\n") == true, "written beside the links")
    // A link at FILE.actual itself: refused with one line, the link and its target untouched.
    unlink(path("s.md.actual"))
    try OddFile.link(path("s.md.actual"), to: path("victim"))
    let second = await replay(["s.md"])
    #expect(second.status == 1)
    #expect(
      second.errors
        == "error: \(path("s.md.actual")): is a symbolic link: not replaced, "
        + "so as not to write where it points\n")
    #expect(directory.read("victim") == "precious\n")
    // Bless through a link at the transcript itself is refused the same way.
    try OddFile.link(path("linked.md"), to: path("s.md"))
    let blessed = await replay(["linked.md"], bless: true)
    #expect(blessed.status == 1)
    #expect(blessed.errors.contains("linked.md: is a symbolic link: not replaced"))
  }

  @Test("a timing moved outside its window is caught and explained")
  func catchesATiming() async throws {
    let moved = Self.session.replacingOccurrences(
      of: "  0.100s    fired timeout#1", with: "  0.500s    fired timeout#1")
    try directory.write("s.md", moved)
    let result = await replay(["s.md"])
    #expect(result.status == 1)
    #expect(result.output.contains("line 18: "), "\(result.output)")
    #expect(result.output.contains("0.500s"), "\(result.output)")
  }

  @Test("bless repairs exactly the changed line; a second bless changes nothing")
  func blessRepairsOnlyWhatChanged() async throws {
    let tampered = Self.session.replacingOccurrences(of: "sleep = 3s (was 1s)", with: "sleep = 3s")
    try directory.write("s.md", tampered)
    let first = await replay(["s.md"], bless: true)
    #expect(first.status == 0, "\(first)")
    #expect(first.output.contains("blessed \(path("s.md"))"))
    #expect(directory.read("s.md") == Self.session, "only the changed line was rewritten")
    let second = await replay(["s.md"], bless: true)
    #expect(second.status == 0)
    #expect(!second.output.contains("blessed"))
    #expect(directory.read("s.md") == Self.session)
  }

  @Test(
    "a command typed behind another prompt than the session's fails, and bless fixes the prompt")
  func checksPrompts() async throws {
    let wrong = "```scopelab\nscopelab demo 1/2> print hi\n  0.000s  hi\n...\n```\n"
    try directory.write("p.md", wrong)
    let result = await replay(["p.md"])
    #expect(result.status == 1, "\(result)")
    #expect(
      result.output.contains(
        "line 2: typed behind 'scopelab demo 1/2> ', but the prompt was 'scopelab> '"),
      "\(result.output)")
    // Only the prompt is wrong: no empty diff headers.
    #expect(!result.output.contains("--- "), "\(result.output)")
    let blessed = await replay(["p.md"], bless: true)
    #expect(blessed.status == 0, "\(blessed)")
    #expect(
      directory.read("p.md")
        == wrong.replacingOccurrences(of: "scopelab demo 1/2> ", with: "scopelab> "))
  }

  @Test("a changed line before '...' is shown with what replaced it, and bless writes that")
  func changedLineBeforeEllipsis() async throws {
    let file = "```scopelab\nscopelab> print one\n  0.000s  uno\n...\n```\n"
    try directory.write("e.md", file)
    let result = await replay(["e.md"])
    #expect(result.status == 1, "\(result)")
    #expect(result.output.contains("-  0.000s  uno\n+  0.000s  one\n"), "\(result.output)")
    let blessed = await replay(["e.md"], bless: true)
    #expect(blessed.status == 0, "\(blessed)")
    #expect(directory.read("e.md") == file.replacingOccurrences(of: "uno", with: "one"))
  }

  @Test("bless is refused where CI=true")
  func blessRefusedInCI() async throws {
    try directory.write("s.md", Self.session)
    let result = await replay(["s.md"], bless: true, environment: ["CI": "true"])
    #expect(result.status == 2)
    #expect(result.errors.hasPrefix("error: --bless is refused where CI=true"))
  }

  @Test("a malformed or missing file is an error naming it, and the others still run")
  func malformed() async throws {
    try directory.write("bad.md", "```scopelab\nscopelab> help\n% pause: 1s\n```\n")
    try directory.write("s.md", Self.session)
    let result = await replay(["bad.md", "missing.md", "s.md"])
    #expect(result.status == 2)
    #expect(
      result.errors
        == "error: \(path("bad.md")):3: unknown directive '% pause' (known: % wait: N.Ns,"
        + " % interrupt: N.Ns; an output line that starts with % is written %%)\n"
        + "error: \(path("missing.md")): no such file\n")
    #expect(result.output.hasSuffix("1 passed, 0 failed, 2 errors\n"), "\(result.output)")
  }

  @Test("a file with no commands is an error, not a vacuous pass")
  func noCommands() async throws {
    try directory.write("prose.md", "# Just prose\n\n```scopelab\n```\n")
    let result = await replay(["prose.md"])
    #expect(result.status == 2)
    #expect(result.errors.hasPrefix("error: \(path("prose.md")): no commands to replay"))
  }

  @Test("the front matter's parameters are set before the first command")
  func restoresParameters() async throws {
    try directory.write(
      "p.md",
      "---\nscopelab: transcript\nset: sleep=3s, grace=250ms\n---\n```scopelab\nscopelab> params\n...\n  grace[..]250ms[..]1s[..]\n...\n```\n"
    )
    let result = await replay(["p.md"])
    #expect(result.status == 0, "\(result)")
  }

  // MARK: - Trust

  static let startsAProcess = """
    ```scopelab
    scopelab> run process echo from-a-child { wait }
    ...
    ```

    """

  @Test("a transcript that starts processes is refused with no terminal to ask")
  func refusedWithoutConsent() async throws {
    try directory.write("p.md", Self.startsAProcess)
    let result = await replay(["p.md"])
    #expect(result.status == 2)
    #expect(
      result.errors.contains("line 2: run process echo from-a-child { wait } - starts a process"))
    #expect(result.errors.contains("replay it with --trust"))
    #expect(!result.output.contains("from-a-child"))
  }

  @Test("the refusal stays one short line when a program is long: each program is cut")
  func refusalCutsLongPrograms() async throws {
    let long = (1...40).map { "print line-\($0)" }.joined(separator: "; ")
    try directory.write(
      "long.md", "```scopelab\nscopelab> run process echo hi { \(long) }\n```\n")
    let result = await replay(["long.md"])
    #expect(result.status == 2)
    let lines = result.errors.split(separator: "\n")
    #expect(lines.count == 1, "\(result.errors)")
    #expect(result.errors.contains("line 2: run process echo hi { print line-1; "))
    #expect(!result.errors.contains("line-40"), "\(result.errors)")
    #expect(result.errors.contains("replay it with --trust"))
  }

  @Test("asked at a terminal: no runs nothing, yes runs it; --trust does not ask")
  func consent() async throws {
    try directory.write("p.md", Self.startsAProcess)
    let no = await replay(["p.md"], check: false) { _ in false }
    #expect(no.status == 2 && !no.output.contains("from-a-child"))
    let question = Locked<String?>(nil)
    let yes = await replay(["p.md"], check: false) { asked in
      question.withLock { $0 = asked }
      return true
    }
    #expect(yes.status == 0, "\(yes)")
    #expect(yes.output.contains("stdout | from-a-child"))
    #expect(question.withLock { $0 }?.contains("line 2: run process echo from-a-child") == true)
    let trusted = await replay(["p.md"], check: false, trust: true) { _ in
      Issue.record("--trust does not ask")
      return false
    }
    #expect(trusted.status == 0)
  }

  // MARK: - Consent from everything a replay could execute

  /// A lesson whose second step's program starts a process that leaves a mark.
  static func strangerLesson(marker: String) -> String {
    """
    ---
    id: stranger
    title: A stranger's lesson
    ---

    ## Harmless

    ```scope
    print calm
    ```

    ## Not so

    ```scope
    process echo \(marker) { wait }
    ```

    """
  }

  /// Replays `name` from a pipe (no terminal to ask), then at a terminal that says no and
  /// one that says yes: the first two never run the marker's process, and both list `shown`
  /// in the question or the refusal; the yes runs it.
  private func expectConsentAsked(
    _ name: String, check: Bool = true, marker: String, shown: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) async {
    let piped = await replay([name], check: check)
    #expect(piped.status == 2, "\(piped)", sourceLocation: sourceLocation)
    #expect(
      piped.errors.contains("replay it with --trust"), "\(piped)", sourceLocation: sourceLocation)
    #expect(!piped.output.contains("| " + marker), "\(piped)", sourceLocation: sourceLocation)
    let question = Locked<String>("")
    let refused = await replay([name], check: check) { asked in
      question.withLock { $0 = asked }
      return false
    }
    #expect(refused.status == 2, sourceLocation: sourceLocation)
    #expect(!refused.output.contains("| " + marker), "\(refused)", sourceLocation: sourceLocation)
    for text in shown {
      #expect(
        question.withLock { $0 }.contains(text), "\(question.withLock { $0 })",
        sourceLocation: sourceLocation)
    }
    let agreed = await replay([name], check: false) { _ in true }
    #expect(
      agreed.output.contains("stdout | " + marker), "\(agreed)", sourceLocation: sourceLocation)
  }

  @Test("a lesson file replayed: a bare run of its step program needs consent")
  func lessonFileBareRun() async throws {
    try directory.write(
      "lesson.md",
      Self.strangerLesson(marker: "mark-lesson")
        + "```scopelab\nscopelab stranger 2/2> run\n...\n```\n")
    await expectConsentAsked(
      "lesson.md", marker: "mark-lesson",
      shown: [
        "line 18: run - starts a process, the program of stranger step 2:\n",
        "      process echo mark-lesson { wait }\n",
      ])
  }

  @Test("a transcript that opens a lesson file, then runs or compares, needs consent")
  func transcriptOpensLessonFile() async throws {
    try directory.write("stranger.md", Self.strangerLesson(marker: "mark-file"))
    let lesson = path("stranger.md")
    try directory.write(
      "typed.md",
      "```scopelab\nscopelab> lesson \(lesson)\n...\nscopelab> next\n...\nscopelab> run\n...\n```\n"
    )
    await expectConsentAsked(
      "typed.md", marker: "mark-file", shown: ["process echo mark-file { wait }"])
    try directory.write(
      "front.md",
      "---\nscopelab: transcript\nlesson: \(lesson)\nstep: 2\n---\n```scopelab\nscopelab> run\n...\n```\n"
    )
    await expectConsentAsked(
      "front.md", marker: "mark-file", shown: ["process echo mark-file { wait }"])
    try directory.write(
      "compare.md",
      "---\nscopelab: transcript\nlesson: \(lesson)\n---\n```scopelab\nscopelab> compare\n...\n```\n"
    )
    let piped = await replay(["compare.md"])
    #expect(piped.status == 2)
    #expect(piped.errors.contains("runs python3"), "\(piped)")
    let question = Locked<String>("")
    _ = await replay(["compare.md"]) { asked in
      question.withLock { $0 = asked }
      return false
    }
    // Every program a bare compare could take, each whole.
    #expect(question.withLock { $0 }.contains("      print calm\n"))
    #expect(question.withLock { $0 }.contains("      process echo mark-file { wait }\n"))
  }

  @Test("compare with a program, in a transcript, needs consent: it runs python3")
  func compareWithProgram() async throws {
    try directory.write("c.md", "```scopelab\nscopelab> compare print hi\n...\n```\n")
    let piped = await replay(["c.md"])
    #expect(piped.status == 2, "\(piped)")
    #expect(piped.errors.contains("line 2: compare print hi - runs python3"), "\(piped)")
  }

  @Test("a built-in lesson named in the front matter, then run: the same rule")
  func builtInLessonInFrontMatter() async throws {
    try directory.write(
      "b.md",
      "---\nscopelab: transcript\nlesson: process-scope\n---\n```scopelab\nscopelab> run\n...\n```\n"
    )
    let piped = await replay(["b.md"])
    #expect(piped.status == 2, "\(piped)")
    #expect(piped.errors.contains("the program of process-scope step 1"), "\(piped)")
    #expect(!piped.output.contains("enter process"))
  }

  @Test("record, edit and replay in a transcript are listed too")
  func otherEffects() async throws {
    try directory.write(
      "r.md",
      "```scopelab\nscopelab> record \(path("out.md"))\n...\nscopelab> edit\n...\n```\n")
    let piped = await replay(["r.md"])
    #expect(piped.status == 2)
    #expect(piped.errors.contains("writes a file") && piped.errors.contains("opens an editor"))
    #expect(directory.read("out.md") == nil)
  }

  @Test("what the question did not list is refused when it would run: a file changed after it")
  func sessionEnforcesConsent() async throws {
    try directory.write("stranger.md", Self.strangerLesson(marker: "mark-swap"))
    try directory.write(
      "swap.md",
      "```scopelab\nscopelab> lesson \(path("stranger.md"))\n...\nscopelab> step 2\n...\nscopelab> run\n...\n```\n"
    )
    let swapped = Self.strangerLesson(marker: "mark-swapped")
    let lesson = URL(fileURLWithPath: path("stranger.md"))
    let result = await replay(["swap.md"], check: false) { _ in
      // Agreed to the lesson as it was; it changes before it is opened.
      try? Data(swapped.utf8).write(to: lesson)
      return true
    }
    #expect(!result.output.contains("| mark-swapped"), "\(result)")
    #expect(
      result.errors.contains("not run: this starts a process (process echo mark-swapped { wait })"),
      "\(result)")
  }

  @Test("a replay inside a replay may do only what the outer one was agreed for")
  func nestedReplay() async throws {
    try directory.write(
      "inner.md", "```scopelab\nscopelab> run process echo mark-inner { wait }\n...\n```\n")
    try directory.write(
      "outer.md", "```scopelab\nscopelab> replay \(path("inner.md")) --trust\n...\n```\n")
    let question = Locked<String>("")
    let agreed = await replay(["outer.md"], check: false) { asked in
      question.withLock { $0 = asked }
      return true
    }
    // The inner file's program is in the outer question, attributed to it.
    #expect(question.withLock { $0 }.contains("inner.md line 2: run process echo mark-inner"))
    #expect(agreed.output.contains("stdout | mark-inner"), "\(agreed)")
    // Agreed for the outer file, then the inner one changes: its --trust counts for nothing.
    let inner = URL(fileURLWithPath: path("inner.md"))
    let changed = await replay(["outer.md"], check: false) { _ in
      let other = "```scopelab\nscopelab> run process echo mark-other { wait }\n...\n```\n"
      try? Data(other.utf8).write(to: inner)
      return true
    }
    #expect(!changed.output.contains("| mark-other"), "\(changed)")
    #expect(changed.errors.contains("was not agreed for"), "\(changed)")
  }

  @Test("a transcript that replays itself stops at a depth, with one line, even trusted")
  func replaysItself() async throws {
    try directory.write(
      "self.md", "```scopelab\nscopelab> replay \(path("self.md")) --check\n...\n```\n")
    // It ends: each level's output is the next one's, which '...' matches.
    let result = await replay(["self.md"], trust: true)
    #expect(result.status == 0, "\(result)")
    // Where it ends: the eighth replay inside another is refused.
    let deepest = await ReplayCommandCore.$nesting.withValue(8) {
      await replay(["self.md"], trust: true)
    }
    #expect(deepest.status == 2)
    #expect(
      deepest.errors
        == "error: replays nested 8 deep: does a transcript replay itself? (not replayed)\n")
  }

  @Test("a check inside a replay writes no FILE.actual: only the files a command names")
  func nestedCheckWritesNothing() async throws {
    try directory.write("inner.md", "```scopelab\nscopelab> print now\nthen\n```\n")
    try directory.write(
      "outer.md", "```scopelab\nscopelab> replay \(path("inner.md")) --check\n...\n```\n")
    let result = await replay(["outer.md"], trust: true)
    #expect(result.status == 0, "\(result)")
    #expect(directory.read("inner.md.actual") == nil)
    // Checked by the person, the same mismatch writes it.
    let direct = await replay(["inner.md"])
    #expect(direct.status == 1)
    #expect(directory.read("inner.md.actual") != nil)
  }

  @Test("a transcript that starts nothing runs with no question, and may start nothing")
  func nothingToAsk() async throws {
    try directory.write("n.md", "```scopelab\nscopelab> run print quiet\n...\n```\n")
    let result = await replay(["n.md"]) { _ in
      Issue.record("nothing to ask")
      return false
    }
    #expect(result.status == 0, "\(result)")
  }

  // MARK: - Live replay

  @Test("live replay types each command behind its prompt, honours pauses, writes an asciicast")
  func liveReplayAndAsciicast() async throws {
    try directory.write(
      "l.md",
      "```scopelab\nscopelab> run print one\n...\n% wait: 10s\nscopelab> print two\n...\n```\n")
    let pauses = Locked<[Duration]>([])
    var core = ReplayCommandCore(files: [path("l.md")])
    core.speed = 2
    core.asciicast = path("l.cast")
    let output = CapturedOutput()
    let status = await core.run(
      output: output, errors: CapturedOutput(),
      pause: { pause in pauses.withLock { $0.append(pause) } })
    #expect(status == 0)
    #expect(output.text.hasPrefix("scopelab> run print one\n  0.000s  one\n"), "\(output.text)")
    #expect(output.text.contains("scopelab> print two\n  0.000s  two\n"))
    #expect(pauses.withLock { $0 }.contains(.seconds(3)), "10 s at speed 2 is 5 s, capped at 3 s")
    let cast = try #require(directory.read("l.cast"))
    let rows = cast.split(separator: "\n").map(String.init)
    let header = try #require(
      try JSONSerialization.jsonObject(with: Data(rows[0].utf8)) as? [String: Any])
    #expect(header["version"] as? Int == 2 && header["width"] as? Int == 80)
    var shown = ""
    var last = 0.0
    for row in rows.dropFirst() {
      let event = try #require(try JSONSerialization.jsonObject(with: Data(row.utf8)) as? [Any])
      let time = try #require(event[0] as? Double)
      #expect(event.count == 3 && event[1] as? String == "o" && time >= last)
      last = time
      shown += try #require(event[2] as? String)
    }
    #expect(shown.contains("scopelab> run print one\r\n  0.000s  one\r\n"), "\(shown)")
  }

  @Test("--asciicast refuses an existing file unless --force, and never names the transcript")
  func asciicastNeverOverwritesUnasked() async throws {
    try directory.write("l.md", "```scopelab\nscopelab> print one\n...\n```\n")
    try directory.write("old.cast", "keep me\n")
    func live(_ cast: String, force: Bool = false) async -> (Int32, String, String) {
      await replay(
        ["l.md"], check: false,
        configure: {
          $0.asciicast = path(cast)
          $0.force = force
        })
    }
    let refused = await live("old.cast")
    #expect(refused.0 == 2)
    #expect(refused.1.isEmpty, "nothing was replayed")
    #expect(
      refused.2 == "error: --asciicast \(path("old.cast")) exists: add --force to replace it\n")
    #expect(directory.read("old.cast") == "keep me\n")
    let forced = await live("old.cast", force: true)
    #expect(forced.0 == 0)
    #expect(directory.read("old.cast")?.hasPrefix("{\"version\": 2") == true)
    // The transcript itself, by its name or through a link, even with --force.
    try OddFile.link(path("alias.cast"), to: path("l.md"))
    for name in ["l.md", "alias.cast"] {
      let itself = await live(name, force: true)
      #expect(itself.0 == 2)
      #expect(
        itself.2
          == "error: --asciicast \(path(name)) is the transcript being replayed: name another file\n"
      )
    }
    #expect(directory.read("l.md") == "```scopelab\nscopelab> print one\n...\n```\n")
    // A link elsewhere is not written through, even with --force.
    try directory.write("victim", "precious\n")
    try OddFile.link(path("link.cast"), to: path("victim"))
    let linked = await live("link.cast", force: true)
    #expect(linked.0 == 2)
    #expect(linked.2.contains("it is a symbolic link, not followed"), "\(linked.2)")
    #expect(directory.read("victim") == "precious\n")
    // --force alone is a mistake.
    let alone = await replay(["l.md"], check: false, configure: { $0.force = true })
    #expect(alone.0 == 2)
    #expect(alone.2 == "error: --force goes with --asciicast OUT.cast\n")
  }

  // MARK: - Asciicast options

  /// The cast `name`'s header, and its events as (seconds, text) in order.
  private func cast(_ name: String) throws -> (header: [String: Any], events: [(Double, String)]) {
    let rows = try #require(directory.read(name)).split(separator: "\n").map(String.init)
    let header = try #require(
      try JSONSerialization.jsonObject(with: Data(rows[0].utf8)) as? [String: Any])
    var events: [(Double, String)] = []
    for row in rows.dropFirst() {
      let event = try #require(try JSONSerialization.jsonObject(with: Data(row.utf8)) as? [Any])
      #expect(event.count == 3 && event[1] as? String == "o", "\(row)")
      events.append((try #require(event[0] as? Double), try #require(event[2] as? String)))
    }
    return (header, events)
  }

  @Test("the cast is as large as --size, else the terminal, else 80x24; timelines fit --size")
  func castSize() async throws {
    try directory.write(
      "t.md", "```scopelab\nscopelab> run timeout 1 { sleep 0.01 }\n...\n```\n")
    func live(
      _ out: String, size: String? = nil, terminal: CastSize? = nil
    ) async throws -> (header: [String: Any], events: [(Double, String)]) {
      let result = await replay(
        ["t.md"], check: false,
        configure: {
          $0.asciicast = path(out)
          $0.size = size
          $0.terminalSize = terminal
        })
      #expect(result.status == 0, "\(result)")
      return try cast(out)
    }
    /// The timeline's first line (`timeline  0 ... 10ms`): as wide as the width drawn at.
    func axis(_ events: [(Double, String)]) throws -> String {
      let shown = events.map(\.1).joined()
      let line = try #require(shown.split(separator: "\r\n").first { $0.hasPrefix("timeline") })
      return String(line)
    }
    let sized = try await live(
      "sized.cast", size: "130x33", terminal: CastSize(columns: 90, rows: 40))
    #expect(sized.header["width"] as? Int == 130 && sized.header["height"] as? Int == 33)
    let sizedAxis = try axis(sized.events)
    #expect((101...130).contains(sizedAxis.count), "\(sizedAxis)")
    let terminal = try await live("terminal.cast", terminal: CastSize(columns: 90, rows: 40))
    #expect(terminal.header["width"] as? Int == 90 && terminal.header["height"] as? Int == 40)
    let plain = try await live("plain.cast")
    #expect(plain.header["width"] as? Int == 80 && plain.header["height"] as? Int == 24)
    let plainAxis = try axis(plain.events)
    #expect((61...80).contains(plainAxis.count), "\(plainAxis)")
    let narrow = try await live("narrow.cast", size: "40x10")
    #expect(narrow.header["width"] as? Int == 40)
    let narrowAxis = try axis(narrow.events)
    #expect(narrowAxis.count <= 40, "\(narrowAxis)")
  }

  @Test(
    "a --size that is not COLSxROWS in range is one line, exit 2, no cast",
    arguments: [
      "", "abc", "100", "100x", "x30", "0x24", "100x0", "39x24", "1001x24", "100x1001",
      "99999999999999999999x30", "100X30", "-100x30", "100x30x2", " 100x30", "１００x30",
    ])
  func badSize(_ size: String) async throws {
    let result = await replay(
      ["t.md"], check: false,
      configure: {
        $0.asciicast = path("bad.cast")
        $0.size = size
      })
    #expect(result.status == 2)
    #expect(
      result.errors
        == "error: --size is COLUMNSxROWS, like 100x30 (columns 40 to 1000, rows 2 to 1000)"
        + " - not '\(size)'\n", "\(result)")
    #expect(directory.read("bad.cast") == nil)
  }

  @Test("--idle-limit caps the pauses, is the cast's idle_time_limit, and is checked")
  func idleLimit() async throws {
    try directory.write(
      "w.md", "```scopelab\nscopelab> print one\n...\n% wait: 10s\nscopelab> print two\n...\n```\n")
    func pauses(
      _ limit: String?, cast: String? = nil
    ) async -> (status: Int32, pauses: [Duration], errors: String) {
      let pauses = Locked<[Duration]>([])
      var core = ReplayCommandCore(files: [path("w.md")])
      core.idleLimit = limit
      core.asciicast = cast.map(path)
      let errors = CapturedOutput()
      let status = await core.run(
        output: CapturedOutput(), errors: errors,
        pause: { pause in pauses.withLock { $0.append(pause) } })
      // Typing pauses are 30 ms at most: the recorded one is the long one.
      return (status, pauses.withLock { $0 }.filter { $0 > .milliseconds(100) }, errors.text)
    }
    #expect(await pauses(nil).pauses == [.seconds(3)], "the default cap")
    #expect(await pauses("1.5").pauses == [.milliseconds(1500)])
    #expect(await pauses("250ms").pauses == [.milliseconds(250)])
    #expect(await pauses("none").pauses == [.seconds(10)], "no cap")
    #expect(await pauses("20s").pauses == [.seconds(10)], "a cap above the pause")
    _ = await pauses("1.5", cast: "limited.cast")
    let limited = try cast("limited.cast")
    #expect(limited.header["idle_time_limit"] as? Double == 1.5, "\(limited.header)")
    // Only a limit given goes into the header: without one, a player keeps the runs' pace.
    for (limit, name) in [(String?.none, "default.cast"), ("none", "none.cast")] {
      _ = await pauses(limit, cast: name)
      #expect(try cast(name).header["idle_time_limit"] == nil)
    }
    for bad in ["0", "-1", "0s", "soon", "", "nan", "1e"] {
      let refused = await pauses(bad)
      #expect(refused.status == 2)
      #expect(
        refused.errors
          == "error: --idle-limit takes a time above 0, like 2 or 1.5s, or none - not '\(bad)'\n")
    }
    let checking = await replay(["w.md"], configure: { $0.idleLimit = "1" })
    #expect(checking.status == 2)
    #expect(
      checking.errors == "error: --idle-limit paces a live replay: leave out --check and --bless\n")
  }

  /// A recording of a process that leaves `marker` behind, interrupted at 1.5 s, then a
  /// 10 s pause before the next command.
  private func markerTranscript(_ marker: String) -> String {
    """
    ---
    scopelab: transcript
    ---

    ```scopelab
    scopelab> process sh -c "touch \(marker); sleep 5" { wait }
    % interrupt: 1.50s
      0.000s  enter process#1
      0.003s    started pid [PID]: sh -c 'touch \(marker); sleep 5'
      1.499s  exit process#1 (received CancellationError)
      1.510s  => CancellationError
    audit: ok - 1 exit ran once
    % wait: 10s
    scopelab> print done
      0.000s  done
      0.000s  => ok
    ```

    """
  }

  @Test("--no-run writes the cast from the text at the trace's times, and runs nothing")
  func castWithoutRunning() async throws {
    try directory.write("m.md", markerTranscript(path("marker")))
    let result = await replay(
      ["m.md"], check: false,
      confirm: { _ in
        Issue.record("nothing runs, so nothing is asked")
        return false
      },
      configure: {
        $0.asciicast = path("m.cast")
        $0.withoutRunning = true
        $0.idleLimit = "2"
        $0.size = "100x30"
      })
    #expect(result.status == 0, "\(result)")
    #expect(result.errors.isEmpty)
    #expect(
      result.output.hasPrefix("wrote \(path("m.cast")) without running anything: 2 commands, "),
      "\(result.output)")
    #expect(directory.read("marker") == nil, "the process never ran")
    let (header, events) = try cast("m.cast")
    #expect(header["width"] as? Int == 100 && header["height"] as? Int == 30)
    #expect(header["idle_time_limit"] as? Double == 2)
    let shown = events.map(\.1).joined()
    #expect(
      shown.hasPrefix(
        "scopelab> process sh -c \"touch \(path("marker")); sleep 5\" { wait }\r\n"
          + "  0.000s  enter process#1\r\n"), "\(shown)")
    #expect(shown.contains("1.510s  => CancellationError\r\naudit: ok"))
    #expect(shown.hasSuffix("scopelab> print done\r\n  0.000s  done\r\n  0.000s  => ok\r\n"))
    func time(_ text: String) throws -> Double {
      try #require(events.first { $0.1.contains(text) }, "\(text) in \(events)").0
    }
    func near(_ value: Double, _ expected: Double) -> Bool { abs(value - expected) < 0.000_01 }
    let start = try time("enter process#1")
    #expect(start > 0.2, "the command was typed first: \(start)")
    #expect(near(try time("started pid") - start, 0.003))
    // The Ctrl-C at its moment, before the line stamped just before it (rounding).
    let press = try #require(events.firstIndex { $0.1 == "^C\r\n" })
    #expect(near(events[press].0 - start, 1.5))
    #expect(events[press + 1].1.contains("exit process#1"))
    #expect(near(events[press + 1].0 - start, 1.5), "never before the line above")
    #expect(near(try time("audit: ok") - start, 1.51), "right after the line before it")
    // The 10 s pause, capped at 2 s.
    let prompt = try #require(events.lastIndex { $0.1 == "scopelab> " })
    #expect(near(events[prompt].0 - start, 3.51), "\(events[prompt].0 - start)")
    var last = 0.0
    for (time, _) in events {
      #expect(time >= last)
      last = time
    }
    // The same transcript replayed live does run it: the marker shows the test can fail.
    let live = await replay(["m.md"], check: false, trust: true)
    #expect(live.status == 0, "\(live)")
    #expect(directory.read("marker") != nil)
  }

  @Test("--no-run refuses a transcript whose output is not all there, naming the line")
  func castWithoutRunningNeedsTheOutput() async throws {
    try directory.write(
      "dots.md", "```scopelab\nscopelab> print one\n  0.000s  one\n...\n```\n")
    try directory.write(
      "any.md", "```scopelab\nscopelab> print one\n  0.000s  one\n[..]=> ok\n```\n")
    for (name, line, what) in [
      ("dots.md", 4, "'...' stands for lines of"), ("any.md", 4, "'[..]' stands for"),
    ] {
      let result = await replay(
        [name], check: false,
        configure: {
          $0.asciicast = path("x.cast")
          $0.withoutRunning = true
        })
      #expect(result.status == 2)
      #expect(
        result.errors
          == "error: \(path(name)):\(line): \(what) output this transcript does not hold: a cast"
          + " made without running cannot show it (make the cast by a live replay: leave out"
          + " --no-run)\n", "\(result)")
      #expect(directory.read("x.cast") == nil, "no cast written")
    }
    let alone = await replay(["dots.md"], check: false, configure: { $0.withoutRunning = true })
    #expect(alone.status == 2)
    #expect(
      alone.errors
        == "error: --no-run goes with --asciicast OUT.cast: it makes the cast without running"
        + " anything\n")
    let sizeAlone = await replay(["dots.md"], check: false, configure: { $0.size = "100x30" })
    #expect(sizeAlone.errors == "error: --size goes with --asciicast OUT.cast\n")
  }
}
