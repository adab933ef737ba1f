import AsyncScope
import Foundation
import Glibc
import LineEditor
import TestSupport
import Testing

@testable import ScopeLab

/// `verify` on a lesson's `### After the run` headings and its checked snippets: near
/// misses and duplicates are named with their line; a python snippet's output is compared
/// by the transcript's matcher and a difference shown as a diff; a swift `check-error`
/// that compiles is named; snippets run only with consent, and are listed whole for it.
@Suite(.serialized) struct CheckedSnippetTests {
  /// A sound lesson (line numbers noted for the broken copies below).
  static let lesson = """
    ---
    id: snippets
    title: Snippets
    ---

    ## Fits

    ```scope
    timeout 1 { sleep 0.01; print done }
    ```

    ```step
    predict: ok
    hint: The sleep is shorter than the deadline.
    hint: 10 ms fits in a second: both lines print.
    ```

    ### After the run

    In CPython 3.11-3.13 a timeout raises TimeoutError:

    ```python check
    import asyncio
    async def main():
        try:
            async with asyncio.timeout(0.01):
                await asyncio.sleep(1)
        except TimeoutError as error:
            print("caught", type(error).__name__, "after [..]")
    asyncio.run(main())
    ```

    ```output
    caught TimeoutError after [..]
    ```

    """

  func verify(
    _ text: String, consent: Consent = .everything, verifier: LessonVerifier = LessonVerifier()
  ) async throws -> [String] {
    let document = try TranscriptDocument(parsing: text, name: "t.md")
    return await verifier.verify(document, consent: consent).map(\.description)
  }

  @Test func aSoundLessonWithASnippetIsClean() async throws {
    #expect(try await verify(Self.lesson) == [])
  }

  @Test func differentOutputIsNamedWithItsLineAndADiff() async throws {
    let problems = try await verify(
      Self.lesson.replacingOccurrences(
        of: "caught TimeoutError after [..]", with: "caught CancelledError after [..]"))
    #expect(
      problems == [
        """
        t.md:22: snippet output differs
        --- t.md
        +++ what it printed
        @@ -34 +34 @@
        -caught CancelledError after [..]
        +caught TimeoutError after [..]
        """
      ], "\(problems)")
    // Output on standard error counts, after standard output: a traceback is seen.
    let crash = try await verify(
      Self.lesson.replacingOccurrences(of: "asyncio.run(main())", with: "print(1 / 0)"))
    #expect(crash.count == 1)
    #expect(crash.first?.contains("+ZeroDivisionError: division by zero") == true, "\(crash)")
  }

  @Test func aSnippetWithoutItsOutputBlockOrWithAMisspelledKindIsNamed() async throws {
    let missing = try await verify(
      Self.lesson.replacingOccurrences(of: "```output", with: "```text"))
    #expect(
      missing == [
        "t.md:22: the ```python check block needs an ```output block right after it"
          + " (blank lines allowed): what it prints"
      ], "\(missing)")
    let misspelled = try await verify(
      Self.lesson.replacingOccurrences(of: "```python check", with: "```python checked"))
    #expect(
      misspelled == [
        "t.md:22: '```python checked' is not a checked snippet (known: ```python check,"
          + " ```swift check, ```swift check-error)"
      ], "\(misspelled)")
  }

  @Test func nearMissAndDuplicateHeadingsAreNamed() async throws {
    for near in [
      "### after the run", "### After run", "## After the run", "#### After the run:",
      "###After the run", "### After the first run",
    ] {
      let problems = try await verify(
        Self.lesson.replacingOccurrences(of: "### After the run", with: near))
      #expect(
        problems.contains(
          "t.md:18: a near miss of '### After the run': this line is prose, shown before any run"
            + " - write the heading exactly so"), "\(near): \(problems)")
    }
    // A step's title or another heading that only starts alike is not one.
    let title = try await verify(
      Self.lesson.replacingOccurrences(of: "## Fits", with: "## After running out of time")
        .replacingOccurrences(
          of: "\n\nIn CPython", with: "\n\n### After the runner stops\n\nIn CPython"))
    #expect(title == [], "\(title)")
    let twice = try await verify(Self.lesson + "\n### After the run\n\nmore\n")
    #expect(
      twice == ["t.md:37: a step has one '### After the run'; the first is at line 18"], "\(twice)")
  }

  @Test func snippetsRunOnlyWithConsentAndAreListedWhole() async throws {
    let document = try TranscriptDocument(parsing: Self.lesson, name: "t.md")
    let concerns = LessonVerifier.concerns(in: document)
    let snippet = try #require(CheckedSnippet.all(in: document).snippets.first)
    #expect(snippet.source.hasPrefix("import asyncio\nasync def main():\n"))
    #expect(concerns.map(\.item) == [.snippet(language: "python", source: snippet.source)])
    let question = TranscriptTrust.question(file: "t.md", concerns: concerns, action: "Verify it?")
    #expect(question.contains("line 22: verify - runs python3, the ```python check snippet:\n"))
    #expect(question.contains("\n      asyncio.run(main())\n"), "\(question)")
    #expect(
      try await verify(Self.lesson, consent: .nothing) == [
        "t.md:22: not run: it runs python3, and that was not agreed to"
      ])
    #expect(try await verify(Self.lesson, consent: Consent(concerns.map(\.item))) == [])
    // The command: no terminal to ask, refused; trusted, verified.
    let directory = try TemporaryDirectory(prefix: "scopelab-snippet")
    try directory.write("t.md", Self.lesson)
    let output = CapturedOutput()
    let errors = CapturedOutput()
    let refused = await LessonVerifier().run(
      files: [directory.path + "/t.md"], trust: false, output: output, errors: errors,
      confirm: { _ in nil })
    #expect(refused == 2 && errors.text.contains("the ```python check snippet"), "\(errors.text)")
  }

  @Test func aSlowSnippetIsStoppedWithOneLineAndLeavesNoProcess() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-snippet")
    let pidFile = directory.path + "/pid"
    let text = Self.lesson.replacingOccurrences(
      of: "asyncio.run(main())",
      with: "import os, time\nopen('\(pidFile)', 'w').write(str(os.getpid()))\ntime.sleep(30)")
    // Long enough for python3 to start and write its pid on a loaded machine (800 ms was
    // not, and the test then had no pid to look for); the snippet sleeps 30 s.
    let problems = try await verify(
      text, verifier: LessonVerifier(snippetTimeout: .seconds(3)))
    #expect(
      problems == [
        "t.md:22: the snippet did not finish within 3s: it was stopped (keep snippets tiny and fast)"
      ], "\(problems)")
    let pid = try #require(
      pid_t(
        String(decoding: try RegularFile.read(pidFile, limit: RegularFile.textLimit), as: UTF8.self)
      ))
    #expect(ProcessTable.entry(pid) == nil, "the snippet's python is still there")
  }

  @Test func eachPythonIsNamedWhenItFails() async throws {
    // This machine has both (pyenv's 3.12.1 and 3.13.0): a test that quietly ran none of
    // them would hide a claim that does not hold there.
    let versions = InstalledPythons.newer
    try #require(versions.count == 2, "python3.12 and python3.13 not found: \(versions)")
    // True only under 3.12.
    let text = Self.lesson.replacingOccurrences(
      of: "asyncio.run(main())", with: "import sys\nprint('3.12:', sys.version_info[:2] == (3, 12))"
    ).replacingOccurrences(of: "caught TimeoutError after [..]", with: "3.12: True")
    let problems = try await verify(text, verifier: LessonVerifier(pythons: versions))
    #expect(problems.count == 1, "\(problems)")
    #expect(
      problems.first?.hasPrefix("t.md:22: snippet output differs under \(versions[1])\n") == true
        && versions[1].hasSuffix("python3.13"), "\(problems)")
    let missing = try await verify(
      Self.lesson, verifier: LessonVerifier(pythons: ["python3", "no-such-python3.99"]))
    #expect(missing == ["t.md:22: not run: no-such-python3.99 not found on PATH"], "\(missing)")
  }

  @Test func swiftCheckErrorMustFailToCompileSayingWhatItSays() async throws {
    // Two compiles, in one verify: a check-error that compiles, and one whose diagnostics
    // lack a line.
    let text = """
      # Notes

      ```swift check-error
      let x = 1
      print(x)
      ```

      ```output
      error: anything
      ```

      ```swift check-error
      func f() async {}
      func g() async { defer { await f() } }
      ```

      ```output
      snippet.swift:2:[..]: error: 'async' call cannot occur in a defer body
      error: a line no compiler says
      ```

      """
    let problems = try await verify(text)
    #expect(problems.count == 2, "\(problems)")
    #expect(
      problems.first
        == "t.md:3: the ```swift check-error snippet compiles: it is meant to fail to compile")
    #expect(
      problems.last?.hasPrefix(
        "t.md:12: the compiler's diagnostics do not say 'error: a line no compiler says' (line 19);"
          + " they are:\n") == true, "\(problems)")
    #expect(problems.last?.contains("'async' call cannot occur in a defer body") == true)
    #expect(!(problems.last?.contains("(line 18)") ?? true), "the first line is said")
    // An empty output block claims nothing: named without compiling.
    let empty = try await verify(
      "# Notes\n\n```swift check-error\nlet x: Int = \"\"\n```\n\n```output\n```\n")
    #expect(
      empty == [
        "t.md:3: the ```swift check-error snippet's output block is empty: give the diagnostic it claims"
      ], "\(empty)")
  }
}
