import AsyncScope
import Glibc
import LineEditor
import TestSupport
import Testing

@testable import ScopeLab

/// Real code in lessons and the REPL: ```python starter``` steps, `edit python|swift`
/// (the learner's copy per step), a bare `run` of real code traced, `show` of it, and
/// `check`, which solves a challenge with `check:`. The runs are real CPython runs.
@Suite("real code in the REPL", .serialized)
struct RealCodeTests {
  /// A Timeout of the learner's own: asyncio.timeout inside, each rule held.
  static let solution = """
    import asyncio


    class Timeout:
        def __init__(self, delay):
            self.delay = delay
            self._inner = None

        async def __aenter__(self):
            self._inner = asyncio.timeout(self.delay)
            await self._inner.__aenter__()
            return self

        async def __aexit__(self, kind, error, tb):
            return await self._inner.__aexit__(kind, error, tb)
    """

  /// The same, but it swallows a KeyError: W3 breaks at once (no rule waits for a hang).
  static let starter =
    solution.replacingFirst(
      "        return await self._inner.__aexit__(kind, error, tb)",
      with: "        await self._inner.__aexit__(kind, error, tb)\n        return kind is KeyError")
      + """


      async def main():
          async with Timeout(1):
              await asyncio.sleep(0.01)
          print("starter ran")


      if __name__ == "__main__":
          asyncio.run(main())
      """

  static func lessonText(solution: String = Self.solution) -> String {
    """
    ---
    id: own
    title: Your own timeout
    ---

    ## Write it

    Your own Timeout.

    ```python starter
    \(starter)
    ```

    ```python solution
    \(solution)
    ```

    ```step
    challenge: every rule holds for your Timeout
    check: timeout Timeout
    hint: Look at what __aexit__ returns.
    hint: Return what asyncio.timeout's __aexit__ returns.
    ```

    ## A scope program

    ```scope
    timeout 1 { sleep 0.01; print "scope ran" }
    ```

    ```step
    hint: one
    hint: two
    ```
    """
  }

  /// A session on the lesson above, with an editor that runs `script` (given the file's
  /// path as $1) and the learner's code kept under `directory`.
  static func harness(editor script: String, in directory: TemporaryDirectory) throws
    -> SessionHarness
  {
    let editor = directory.path + "/editor"
    try directory.write("editor", "#!/bin/sh\n" + script + "\n")
    #expect(chmod(editor, 0o755) == 0)
    let lesson = try Lesson(parsing: lessonText(), name: "own.md")
    let harness = SessionHarness(
      lessons: LessonGuide(catalog: LessonCatalog(lessons: [lesson]), store: MemoryProgressStore()))
    harness.session.editorHasTerminal = { true }
    harness.session.environment = { $0 == "EDITOR" ? editor : nil }
    harness.session.codeDirectory = directory.path + "/code"
    return harness
  }

  // MARK: - The lesson format

  @Test("a step's starter, solution and check: are read; the starter is the step's program")
  func parsed() throws {
    let lesson = try Lesson(parsing: Self.lessonText(), name: "own.md")
    let step = lesson.steps[0]
    #expect(step.program == nil)
    #expect(step.starter?.language == .python)
    #expect(step.starter?.text.contains("print(\"starter ran\")") == true)
    #expect(step.solution?.text == Self.solution)
    #expect(step.check == StepCheck(kind: .timeout, scope: "Timeout"))
    #expect(step.prose == ["Your own Timeout."], "the code blocks are not prose")
    #expect(step.afterProgram.isEmpty)
    guard case .challenge(let challenge)? = step.exercise else {
      Issue.record("the step's challenge")
      return
    }
    #expect(challenge.goal == "every rule holds for your Timeout")
  }

  @Test(
    "a malformed starter, solution or check: is one error naming its line",
    arguments: [
      (
        "```python starter\nimport asyncio\n```\n\n```scope\nsleep 1\n```\n", 10,
        "a step has one program"
      ),
      (
        "```scope\nsleep 1\n```\n\n```step\ncheck: timeout T\n```\n", 11, "'check' grades real code"
      ),
      ("```python starter\nx = 1\n```\n\n```step\ncheck: timeout\n```\n", 11, "check takes a kind"),
      ("```python starter\nx = 1\n```\n\n```step\ncheck: loop T\n```\n", 11, "check takes a kind"),
      ("```python solution\nx = 1\n```\n", 6, "needs a ```python starter"),
      (
        "```swift starter\nlet x = 1\n```\n\n```python solution\nx = 1\n```\n", 10,
        "the solution is Python but the starter (line 6) is Swift"
      ),
      ("```python starter\n\n```\n", 6, "the ```python starter block is empty"),
      (
        "```python starter\nx = 1\n```\n\n```step\nchallenge: pass\ncheck: scope T\noutcome: ok\n```\n",
        13, "'outcome' does not apply"
      ),
    ])
  func malformed(_ body: String, _ line: Int, _ message: String) {
    let text = "---\nid: bad\ntitle: Bad\n---\n## Step\n" + body
    do {
      _ = try Lesson(parsing: text, name: "bad.md")
      Issue.record("parsed: \(body)")
    } catch {
      #expect(error.line == line, "\(error.message)")
      #expect(error.message.contains(message), "\(error.message)")
      #expect(!error.description.contains("\n"))
      #expect(error.description.hasPrefix("bad.md:\(line):"), "\(error.description)")
    }
  }

  // MARK: - The REPL

  @Test("a bare run traces the step's starter, show shows it, show swift says it cannot")
  func runStarter() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-realcode")
    let harness = try Self.harness(editor: "exit 0", in: directory)
    let opened = await harness.execute("lesson own")
    #expect(opened.output.contains("    class Timeout:"), "the starter is shown")
    #expect(opened.output.contains("'edit python'"))
    let run = await harness.execute("run")
    #expect(run.result == .done, "\(run.errors)")
    #expect(run.output.contains("enter Timeout#1"))
    #expect(run.output.contains("starter ran"))
    #expect(run.output.contains("=> ok"))
    #expect(run.output.contains("audit: ok"))
    #expect(run.output.contains("solved by 'check'"), "a run does not solve a check challenge")
    let why = await harness.execute("why")
    #expect(why.result == .done)
    #expect(!harness.session.lastRun.isEmpty)
    let python = await harness.execute("show python")
    #expect(python.output == Self.starter + "\n")
    await harness.execute("show swift").expectOneLineError(
      containing: "the current program is real Python code: 'show python' shows it")
    await harness.execute("compare").expectOneLineError(containing: "compare runs a scope program")
    #expect(!RegularFile.exists(directory.path + "/code/own/write-it.py"), "no copy until saved")
  }

  @Test("edit python saves the learner's copy; run runs it; reset goes back and keeps it")
  func editAndRun() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-realcode")
    let seen = directory.path + "/seen"
    // The editor keeps what it was given, and appends a line that prints.
    let harness = try Self.harness(
      editor: "cp \"$1\" '\(seen)'; printf 'print(\"edited\")\\n' >> \"$1\"", in: directory)
    _ = await harness.execute("lesson own")
    let edit = await harness.execute("edit python")
    #expect(edit.result == .done, "\(edit.errors)")
    let copy = directory.path + "/code/own/write-it.py"
    #expect(edit.output.contains("Saved to \(copy)"))
    #expect(directory.read("seen") == Self.starter + "\n", "the first edit starts from the starter")
    #expect(directory.read("code/own/write-it.py") == Self.starter + "\nprint(\"edited\")\n")
    let run = await harness.execute("run")
    #expect(run.output.contains("  edited"), "\(run.output)")
    #expect(run.output.contains("=> ok"))
    let shown = await harness.execute("show")
    #expect(shown.output.contains("Your code, which 'run' runs"))
    #expect(shown.output.contains("    print(\"edited\")"))
    let reset = await harness.execute("reset")
    #expect(reset.output.contains("your code stays in \(copy)"))
    let back = await harness.execute("run")
    #expect(back.output.contains("starter ran"))
    #expect(!back.output.contains("edited"))
    // The copy is the learner's work: reopened as it is, not the starter again.
    let again = await harness.execute("edit python")
    #expect(again.output.contains("(your copy from before: \(copy))"))
    #expect(directory.read("seen") == Self.starter + "\nprint(\"edited\")\n")
    await harness.execute("edit swift").expectOneLineError(
      containing: "this step's program is Python code: 'edit python' opens it")
  }

  @Test("an editor that fails or leaves the file as it was changes nothing")
  func editorChangesNothing() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-realcode")
    let failing = try Self.harness(editor: "echo 'x = 1' >> \"$1\"; exit 3", in: directory)
    _ = await failing.execute("lesson own")
    await failing.execute("edit python").expectOneLineError(containing: "ended with exited(3)")
    #expect(!RegularFile.exists(directory.path + "/code/own/write-it.py"))
    #expect(failing.session.current == .starter(try #require(failing.session.openStep?.starter)))
    let unchanged = try Self.harness(editor: "exit 0", in: directory)
    _ = await unchanged.execute("lesson own")
    let reply = await unchanged.execute("edit python")
    #expect(reply.output == "(unchanged)\n")
    #expect(!RegularFile.exists(directory.path + "/code/own/write-it.py"))
  }

  @Test("a syntax error in the learner's code names their file and line; nothing ran")
  func syntaxError() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-realcode")
    let harness = try Self.harness(
      editor: "printf 'import asyncio\\n\\ndef broken(:\\n' > \"$1\"", in: directory)
    _ = await harness.execute("lesson own")
    _ = await harness.execute("edit python")
    let run = await harness.execute("run")
    #expect(run.result == .invalid)
    let copy = directory.path + "/code/own/write-it.py"
    #expect(run.errors.contains("\(copy):3"), "\(run.errors)")
    #expect(!run.output.contains("=>"), "\(run.output)")
  }

  @Test("with no lesson open, edit python keeps a scratch file that show and run use")
  func scratch() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-realcode")
    let harness = try Self.harness(
      editor: "printf 'print(\"scratch\")\\n' >> \"$1\"", in: directory)
    await harness.execute("edit python").expectOneLineError(containing: "no program to start from")
    _ = await harness.execute("run timeout 1 { sleep 0.01 }")
    let edit = await harness.execute("edit python")
    #expect(edit.result == .done, "\(edit.errors)")
    #expect(directory.read("code/scratch.py")?.contains("asyncio.timeout(1") == true)
    let shown = await harness.execute("show")
    #expect(shown.output.hasSuffix("print(\"scratch\")\n"), "\(shown.output)")
    let run = await harness.execute("run")
    #expect(run.output.contains("scratch"))
    #expect(run.output.contains("enter timeout#1"), "\(run.output)")
  }

  @Test("edit python of a scope program starts from its Python view, kept per step")
  func editScopeStep() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-realcode")
    let seen = directory.path + "/seen"
    let harness = try Self.harness(
      editor: "cp \"$1\" '\(seen)'; printf 'print(\"mine\")\\n' >> \"$1\"", in: directory)
    _ = await harness.execute("lesson own")
    _ = await harness.execute("next")
    let edit = await harness.execute("edit python")
    #expect(edit.result == .done, "\(edit.errors)")
    #expect(directory.read("seen")?.contains("async with asyncio.timeout(1") == true)
    #expect(RegularFile.exists(directory.path + "/code/own/a-scope-program.py"))
    let run = await harness.execute("run")
    #expect(run.output.contains("scope ran"))
    #expect(run.output.contains("mine"))
    let step = await harness.execute("step 2")
    #expect(step.output.contains("your code stays in"))
    let scope = await harness.execute("run")
    #expect(scope.output.contains("scope ran"))
    #expect(!scope.output.contains("mine"))
  }

  @Test("check grades the learner's code; with check: it solves the step's challenge")
  func checkSolves() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-realcode")
    try directory.write("solution.py", Self.solution + "\n")
    let harness = try Self.harness(
      editor: "cp '\(directory.path)/solution.py' \"$1\"", in: directory)
    _ = await harness.execute("lesson own")
    await harness.execute("check Timeout").expectOneLineError(containing: "--kind timeout")
    let starter = await harness.execute("check")
    #expect(starter.result == .done, "\(starter.errors)")
    #expect(starter.output.contains("broken  W3"))
    #expect(
      starter.output.contains("check Timeout (--kind timeout) in write-it.py: 13 rules"),
      "the starter is named by its step, not by a temporary path: \(starter.output)")
    #expect(!starter.output.contains("challenge solved"), "the starter solves nothing")
    _ = await harness.execute("edit python")
    let checked = await harness.execute("check")
    #expect(checked.output.contains("every rule held (13)"), "\(checked.output)")
    #expect(checked.output.contains("challenge solved"))
    let missing = await harness.execute("check Nope --kind scope")
    #expect(missing.result == .invalid)
    #expect(missing.errors.contains("no scope 'Nope'"))
  }

  @Test("check of a scope program, and check with no scope named, are one error each")
  func checkErrors() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-realcode")
    let harness = try Self.harness(editor: "exit 0", in: directory)
    _ = await harness.execute("lesson own")
    _ = await harness.execute("next")
    await harness.execute("check").expectOneLineError(containing: "check which scope?")
    await harness.execute("check Timeout --kind timeout").expectOneLineError(
      containing: "check grades real code")
    await harness.execute("check Timeout --kind loop").expectOneLineError(
      containing: "--kind takes timeout or scope")
    await harness.execute("edit ruby").expectOneLineError(
      containing: "usage: edit [python | swift]")
  }

  // MARK: - verify and consent

  @Test("verify: the solution passes check: and the starter does not")
  func verify() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-realcode")
    try directory.write("own.md", Self.lessonText())
    let document = try TranscriptDocument(contentsOf: directory.path + "/own.md")
    // A starter that already passes: named at its block. The two lessons are verified side
    // by side (each checks two programs against the rules, which mostly wait).
    let easy = Self.lessonText().replacingFirst(
      "        return kind is KeyError", with: "        return False")
    try directory.write("easy.md", easy)
    let easyDocument = try TranscriptDocument(contentsOf: directory.path + "/easy.md")
    async let verified = LessonVerifier().verify(document, consent: .everything)
    async let easyVerified = LessonVerifier().verify(easyDocument, consent: .everything)
    let (problems, found) = await (verified, easyVerified)
    #expect(problems.isEmpty, "\(problems)")
    #expect(
      found.map(\.message) == ["the step's starter already passes its check: nothing to solve"])
    #expect(found.first?.line == 10)
    // Not agreed to: nothing runs.
    let refused = await LessonVerifier().verify(document, consent: .nothing)
    #expect(refused.count == 2)
    #expect(refused.allSatisfy { $0.message.contains("not agreed to") })
  }

  @Test("consent lists a lesson's real code for a bare run or check, and for verify")
  func consent() throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-realcode")
    try directory.write("own.md", Self.lessonText())
    try directory.write(
      "replay.md",
      "---\nscopelab: transcript\nlesson: own.md\n---\n\n```scopelab\nscopelab own 1/2> check\n```\n"
    )
    let replay = try TranscriptDocument(contentsOf: directory.path + "/replay.md")
    let concerns = TranscriptTrust.concerns(in: replay)
    let starterItem = Consent.Item.code(
      language: .python,
      source: try #require(
        try Lesson(parsing: Self.lessonText(), name: "own.md").steps[0].starter?.text))
    #expect(concerns.map(\.item) == [starterItem])
    #expect(
      concerns.first?.description.contains(
        "runs it under python3, the python starter of own step 1") == true)
    let lesson = try TranscriptDocument(contentsOf: directory.path + "/own.md")
    let verified = LessonVerifier.concerns(in: lesson).map(\.item)
    #expect(verified.contains(starterItem))
    #expect(verified.contains(.code(language: .python, source: Self.solution)))
  }
}
