import AsyncScope
import Foundation
import Testing

@testable import ScopeLab

/// `### After the run`: a step's text that comments on a run is read, kept out of `show`
/// until the step's first run of its program (or its exercise is solved), printed once
/// after that run's verdict, and shown from then on - also from saved progress.
@Suite("After-run text")
struct AfterRunTests {
  static let lesson = """
    ---
    id: reveal
    title: Reveal
    ---

    ## Predict

    Before.

    ```scope
    timeout 1 { sleep 0.01; print done }
    ```

    Invitation.

    ```step
    predict: ok
    hint: One.
    hint: Two.
    ```

    ### After the run

    SECRET-ONE: it printed done.

    ```swift
    ### After the run
    ```

    ## Challenge

    ```scope
    timeout 1 { sleep 0.01 }
    ```

    ### After the run

    SECRET-TWO: the deadline came first.

    ```step
    challenge: make it time out
    outcome: TimeoutError
    solution: timeout 0.005 { sleep 0.05 }
    hint: One.
    hint: Two.
    ```

    ## Plain

    ```scope
    print hi
    ```

    ### After the run

    SECRET-THREE.
    """

  static func harness(store: MemoryProgressStore = MemoryProgressStore()) throws -> SessionHarness {
    let lesson = try Lesson(parsing: Self.lesson, name: "reveal.md")
    return SessionHarness(
      lessons: LessonGuide(catalog: LessonCatalog(lessons: [lesson]), store: store))
  }

  // MARK: - Parsing

  @Test("the text after the heading is the step's after-run text, not its prose")
  func parsed() throws {
    let lesson = try Lesson(parsing: Self.lesson, name: "reveal.md")
    let first = lesson.steps[0]
    #expect(first.prose == ["Before."])
    #expect(first.afterProgram == ["Invitation."])
    // A heading inside a fence is the fence's text.
    #expect(
      first.afterRun == [
        "SECRET-ONE: it printed done.", "", "```swift", "### After the run", "```",
      ])
    #expect(first.exercise == .predict(answer: "ok", look: nil))
    // The step block may come after the heading: it is never shown.
    let second = lesson.steps[1]
    #expect(second.afterRun == ["SECRET-TWO: the deadline came first."])
    guard case .challenge(let challenge)? = second.exercise else {
      Issue.record("step 2 lost its challenge")
      return
    }
    #expect(challenge.solution == "timeout 0.005 { sleep 0.05 }")
    #expect(second.hints == ["One.", "Two."])
    #expect(lesson.steps[2].afterRun == ["SECRET-THREE."])
  }

  @Test(
    "a second heading in a step, a program after it, or one before the first step is an error",
    arguments: [
      (
        "SECRET-THREE.", "SECRET-THREE.\n\n### After the run\n\nmore",
        "reveal.md:58: a step has one '### After the run'; the first is at line 54"
      ),
      (
        "```scope\nprint hi\n```\n\n### After the run\n",
        "### After the run\n\n```scope\nprint hi\n```\n",
        "reveal.md:52: the ```scope program comes before '### After the run' (line 50):"
          + " the text after that heading is shown only after a run"
      ),
      (
        "title: Reveal\n---\n", "title: Reveal\n---\n\n### After the run\n",
        "reveal.md:6: '### After the run' belongs in a step, after a '## ' heading"
      ),
    ])
  func malformed(_ old: String, _ new: String, _ message: String) {
    #expect(Self.lesson.contains(old))
    let text = Self.lesson.replacingFirst(old, with: new)
    do {
      _ = try Lesson(parsing: text, name: "reveal.md")
      Issue.record("no error for: \(message)")
    } catch {
      #expect(error.description == message)
    }
  }

  // MARK: - In the REPL

  @Test("hidden when the step opens and in show; printed once, after the verdict, by its run")
  func predictStep() async throws {
    let harness = try Self.harness()
    let opened = await harness.execute("lesson reveal")
    #expect(opened.output.contains("Invitation."))
    #expect(!opened.output.contains("SECRET-ONE"))
    #expect(!(await harness.execute("show")).output.contains("SECRET-ONE"))
    // Another program is not the step's: the text comments on the step's run.
    let own = await harness.execute("run timeout 1 { sleep 0.01 }")
    #expect(!own.output.contains("SECRET-ONE"))
    _ = await harness.execute("predict ok")
    let run = await harness.execute("run")
    #expect(
      run.output.hasSuffix(
        "prediction held\nexercise solved: type 'next' to go on\n\n"
          + "SECRET-ONE: it printed done.\n\n    ### After the run\n"), "\(run.output)")
    let again = await harness.execute("run")
    #expect(!again.output.contains("SECRET-ONE"), "printed once")
    let shown = await harness.execute("show")
    let text = shown.output
    #expect(text.contains("Invitation.\n\nSECRET-ONE: it printed done.\n"), "\(text)")
    #expect(text.components(separatedBy: "SECRET-ONE").count == 2)
    if let secret = text.range(of: "SECRET-ONE"), let exercise = text.range(of: "Exercise:") {
      #expect(secret.lowerBound < exercise.lowerBound)
    }
  }

  @Test("a run of the step's program reveals it whatever the prediction, or with none")
  func unpredictedRun() async throws {
    let harness = try Self.harness()
    _ = await harness.execute("lesson reveal")
    _ = await harness.execute("predict KeyError")
    let wrong = await harness.execute("run")
    #expect(wrong.output.contains("prediction did not hold"))
    #expect(wrong.output.hasSuffix("\nSECRET-ONE: it printed done.\n\n    ### After the run\n"))
    _ = await harness.execute("step 3")
    let plain = await harness.execute("run")
    #expect(plain.output.hasPrefix("  0.000s  hi\n"), "\(plain.output)")
    #expect(plain.output.hasSuffix("\n\nSECRET-THREE.\n"), "\(plain.output)")
  }

  @Test("a challenge reveals it on the step's own program or when solved, not on a miss")
  func challengeStep() async throws {
    let harness = try Self.harness()
    _ = await harness.execute("lesson reveal")
    _ = await harness.execute("step 2")
    let missed = await harness.execute("run timeout 1 { sleep 0.001 }")
    #expect(missed.output.contains("challenge not solved"))
    #expect(!missed.output.contains("SECRET-TWO"))
    #expect(!(await harness.execute("show")).output.contains("SECRET-TWO"))
    let solved = await harness.execute("run timeout 0.005 { sleep 0.05 }")
    #expect(
      solved.output.hasSuffix(
        "challenge solved\nexercise solved: type 'next' to go on\n\n"
          + "SECRET-TWO: the deadline came first.\n"), "\(solved.output)")
    #expect((await harness.execute("show")).output.contains("SECRET-TWO"))
  }

  @Test("a run of the step's program is kept with the progress: a later session shows it")
  func ranIsSaved() async throws {
    let store = MemoryProgressStore()
    let first = try Self.harness(store: store)
    _ = await first.execute("lesson reveal")
    _ = await first.execute("predict KeyError")
    _ = await first.execute("run")
    #expect(store.progress["reveal"].solved.isEmpty)
    #expect(store.progress["reveal"].ran == ["predict"])
    let json = store.progress.json
    #expect(json.contains(#""ran""#), "\(json)")
    #expect(try LessonProgress(json: json) == store.progress)
    let second = try Self.harness(store: store)
    #expect((await second.execute("lesson reveal")).output.contains("SECRET-ONE"))
  }

  @Test("a step solved in saved progress shows it; restart hides it again")
  func savedProgress() async throws {
    let store = MemoryProgressStore()
    let first = try Self.harness(store: store)
    _ = await first.execute("lesson reveal")
    _ = await first.execute("predict ok")
    _ = await first.execute("run")
    #expect(store.progress["reveal"].solved == ["predict"])
    let second = try Self.harness(store: store)
    let opened = await second.execute("lesson reveal")
    #expect(opened.output.contains("SECRET-ONE"), "\(opened.output)")
    #expect((await second.execute("show")).output.contains("SECRET-ONE"))
    // Shown already: a run does not print it again.
    #expect(!(await second.execute("run")).output.contains("SECRET-ONE"))
    let restarted = await second.execute("restart --force")
    #expect(!restarted.output.contains("SECRET-ONE"))
    #expect(!(await second.execute("show")).output.contains("SECRET-ONE"))
  }
}
