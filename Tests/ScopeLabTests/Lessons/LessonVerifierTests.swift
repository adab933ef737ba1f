import AsyncScope
import Foundation
import TestSupport
import Testing

@testable import ScopeLab

/// `scopelab verify`: a teacher's lesson with a wrong prediction, a solution that does not
/// solve, a step program that already does, a misspelled outcome, a heading missing its
/// space or too few hints is caught with the file and line; a sound one is clean.
@Suite(.serialized) struct LessonVerifierTests {
  let directory: TemporaryDirectory

  init() throws {
    directory = try TemporaryDirectory(prefix: "scopelab-verify")
  }

  /// A lesson whose every claim holds (line numbers noted for the broken copies below).
  ///
  /// Its steps' programs and solutions run in real time, side by side: each outcome is
  /// decided by a margin of 0.95 s or more between a deadline and a sleep, so only a wrong
  /// verdict misses it, not a late wake-up on a busy machine (a solution 30 ms ahead of
  /// its deadline did not solve at load 10-20).
  static let sound = """
    ---
    id: sound
    title: A sound lesson
    ---

    ## Fits

    ```scope
    timeout 1 { sleep 0.05; print done }
    ```

    ```step
    predict: ok
    hint: The sleep is shorter than the deadline.
    hint: 50 ms fits in a second: both lines print.
    ```

    ## Too long

    ```scope
    timeout 1 { sleep 0.05 }
    ```

    ```step
    challenge: make the deadline fire
    outcome: TimeoutError
    has: fired timeout
    solution: timeout 0.02 { sleep 1 }
    hint: The deadline must come first.
    hint: run timeout 0.02 { sleep 0.05 }
    ```

    ```scopelab
    scopelab sound 2/2> run timeout 0.02 { sleep 0.05 }
      0.000s  enter timeout#1
    ...
      0.020s  => TimeoutError: timeout(20ms) expired after 0.020s
    ...
    ```

    """

  func verify(_ text: String, consent: Consent = .everything) async throws -> [String] {
    let document = try TranscriptDocument(parsing: text, name: "t.md")
    return await LessonVerifier(slack: 3).verify(document, consent: consent).map(\.description)
  }

  @Test func aSoundLessonIsClean() async throws {
    #expect(try await verify(Self.sound) == [])
  }

  @Test func aWrongPredictionIsNamedWithItsLine() async throws {
    let problems = try await verify(
      Self.sound.replacingOccurrences(of: "predict: ok", with: "predict: TimeoutError"))
    #expect(problems == ["t.md:13: predicts TimeoutError, but the step's program ends with ok"])
  }

  @Test func aMisspelledOutcomeGetsDidYouMean() async throws {
    let problems = try await verify(
      Self.sound.replacingOccurrences(of: "predict: ok", with: "predict: Ok"))
    #expect(problems.first == "t.md:13: predict: no outcome 'Ok' - did you mean 'ok'?")
    let python = try await verify(
      Self.sound.replacingOccurrences(of: "predict: ok", with: "predict: CancelledError"))
    #expect(
      python.first?.hasPrefix(
        "t.md:13: predict: no outcome 'CancelledError' - did you mean 'CancellationError'?")
        == true, "\(python)")
    let outcome = try await verify(
      Self.sound.replacingOccurrences(of: "outcome: TimeoutError", with: "outcome: TimoutError"))
    #expect(
      outcome.contains("t.md:26: outcome: no outcome 'TimoutError' - did you mean 'TimeoutError'?"),
      "\(outcome)")
  }

  @Test func aSolutionThatDoesNotSolveAndAProgramThatAlreadyDoes() async throws {
    let problems = try await verify(
      Self.sound.replacingOccurrences(
        of: "solution: timeout 0.02 { sleep 1 }", with: "solution: timeout 1 { sleep 0.01 }"))
    #expect(problems.count == 1)
    #expect(
      problems.first?.hasPrefix("t.md:28: the solution does not solve the challenge: ") == true,
      "\(problems)")
    let already = try await verify(
      Self.sound.replacingOccurrences(
        of: "```scope\ntimeout 1 { sleep 0.05 }\n```",
        with: "```scope\ntimeout 0.01 { sleep 1 }\n```"))
    #expect(
      already == ["t.md:25: the step's own program already solves the challenge"], "\(already)")
  }

  @Test func headingsHintsAndPrograms() async throws {
    let text = Self.sound
      .replacingOccurrences(of: "## Too long", with: "## Too long\n\n##Missing space")
      .replacingOccurrences(of: "hint: 50 ms fits in a second: both lines print.\n", with: "")
    let problems = try await verify(text)
    #expect(
      problems.contains(
        "t.md:14: step 1 (Fits) has 1 hint: a step with a program has at least two, each saying more than the last"
      ), "\(problems)")
    #expect(
      problems.contains(
        "t.md:19: a heading needs a space after '##': this line is prose, not a step"),
      "\(problems)")
    let noProgram = try await verify(
      Self.sound.replacingOccurrences(
        of: "## Too long", with: "## Words only\n\nJust prose.\n\n## Too long"))
    #expect(
      noProgram.contains(
        "t.md:18: step 2 (Words only) has no program for 'run' to run"
          + " (a ```scope block, or a ```python starter)"),
      "\(noProgram)")
  }

  @Test func anExampleThatNoLongerHoldsIsNamed() async throws {
    let problems = try await verify(
      Self.sound.replacingOccurrences(of: "expired after 0.020s", with: "expired after 0.900s"))
    #expect(
      problems == [
        "t.md:34: the example's output does not match what the command prints now (replay --check shows the difference)"
      ], "\(problems)")
  }

  @Test func theTimedAndUntimedChecksTogetherAreAllOfThem() async throws {
    // Broken five ways: a prediction and an example (timed), too few hints (untimed), a
    // snippet's words (untimed) and a snippet's timing (timed).
    let text =
      Self.sound.replacingOccurrences(of: "predict: ok", with: "predict: TimeoutError")
      .replacingOccurrences(of: "expired after 0.020s", with: "expired after 0.900s")
      .replacingOccurrences(of: "hint: 50 ms fits in a second: both lines print.\n", with: "")
      + "```python check\nprint('one')\n```\n\n```output\ntwo\n```\n\n"
      + "```python check\nprint('at 0.0s')\n```\n\n```output\nat 5.0s\n```\n"
    let document = try TranscriptDocument(parsing: text, name: "t.md")
    let verifier = LessonVerifier(slack: 3)
    func found(_ checks: LessonVerifier.Checks) async -> [String] {
      await verifier.verify(document, consent: .everything, checks: checks).map(\.description)
    }
    let all = await found(.all)
    let timed = await found(.timed)
    let untimed = await found(.untimed)
    #expect(all.count == 5, "\(all)")
    #expect(Set(timed + untimed) == Set(all), "\(timed) + \(untimed) against \(all)")
    #expect(timed.count + untimed.count == all.count)
    #expect(timed.contains { $0.contains("predicts TimeoutError") }, "\(timed)")
    #expect(timed.contains { $0.contains("the example's output does not match") }, "\(timed)")
    #expect(timed.contains { $0.contains("snippet output differs") && $0.contains("at 0.0s") })
    #expect(untimed.contains { $0.contains("1 hint") }, "\(untimed)")
    #expect(untimed.contains { $0.contains("snippet output differs") && $0.contains("+one") })
  }

  @Test func aByteOrderMarkIsAccepted() async throws {
    #expect(try await verify("\u{FEFF}" + Self.sound) == [])
  }

  @Test func aParseErrorIsOneProblemWithItsLine() async throws {
    let problems = try await verify(
      Self.sound.replacingOccurrences(of: "has: fired timeout", with: "has: fird timeout"))
    #expect(problems.count == 1)
    #expect(
      problems.first?.hasPrefix("t.md:27: has: 'fird' is not a trace event - did you mean 'fired'?")
        == true, "\(problems)")
  }

  @Test func processesRunOnlyWithConsent() async throws {
    let text = Self.sound.replacingOccurrences(
      of: "timeout 1 { sleep 0.05; print done }", with: "timeout 1 { process true { wait } }")
    let document = try TranscriptDocument(parsing: text, name: "t.md")
    let concerns = LessonVerifier.concerns(in: document)
    #expect(concerns.map(\.item) == [.run("timeout 1 { process true { wait } }")])
    #expect(
      try await verify(text, consent: .nothing) == [
        "t.md:13: not run: it starts a process, and that was not agreed to"
      ])
    #expect(try await verify(text, consent: Consent(concerns.map(\.item))) == [])
  }

  @Test func theCommandReadsFilesAndExitsAsDocumented() async throws {
    try directory.write("sound.md", Self.sound)
    try directory.write(
      "wrong.md", Self.sound.replacingOccurrences(of: "predict: ok", with: "predict: KeyError"))
    try directory.write("notes.md", "# Just notes\n")
    func run(_ names: [String], trust: Bool = false) async -> (Int32, String, String) {
      let output = CapturedOutput()
      let errors = CapturedOutput()
      let status = await LessonVerifier(slack: 3).run(
        files: names.map { directory.path + "/" + $0 }, trust: trust, output: output,
        errors: errors, confirm: { _ in nil })
      return (status, output.text, errors.text)
    }
    let clean = await run(["sound.md"])
    #expect(
      clean.0 == 0
        && clean.1 == "ok \(directory.path)/sound.md\n1 lesson verified, 0 with problems\n",
      "\(clean)")
    let wrong = await run(["sound.md", "wrong.md", "notes.md"])
    #expect(wrong.0 == 1, "\(wrong)")
    #expect(
      wrong.1.contains(
        "\(directory.path)/wrong.md:13: predicts KeyError, but the step's program ends with ok\n"))
    #expect(wrong.1.contains("\(directory.path)/notes.md:1: neither a lesson"))
    #expect(wrong.1.hasSuffix("3 lessons verified, 2 with problems\n"))
    let missing = await run(["missing.md", "sound.md"])
    #expect(missing.0 == 2, "\(missing)")
    #expect(missing.2.contains("missing.md: no such file"), "\(missing)")
    // A lesson that starts a process, with no terminal to ask: refused, unless trusted.
    try directory.write(
      "process.md",
      Self.sound.replacingOccurrences(
        of: "timeout 1 { sleep 0.05; print done }", with: "timeout 1 { process true { wait } }"))
    let refused = await run(["process.md"])
    #expect(refused.0 == 2 && refused.2.contains("with --trust"), "\(refused)")
    let trusted = await run(["process.md"], trust: true)
    #expect(trusted.0 == 0, "\(trusted)")
  }
}
