import AsyncScope
import Lessons
import LineEditor
import TestSupport
import Testing

@testable import ScopeLab

/// The curriculum itself: that every lesson loads, has the shape the issue asks for, and
/// that every claim it makes - a predicted outcome, a challenge's solution, an example
/// block's output - is what a real run shows.
@Suite("Built-in lessons", .serialized)
struct BuiltInLessonTests {
  static let curriculum = [
    "runner-flag", "sleep-vs-timeout", "process-scope", "async-protocol",
    "errors-and-suppression", "cancellation", "task-groups", "your-own-timeout",
  ]

  static var lessons: [Lesson] { LessonCatalog.builtIn.lessons }

  /// The repository's `Lessons/` directory.
  static let directory: String = {
    var path = #filePath
    for _ in 0..<4 { path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }
    return path + "/Lessons"
  }()

  @Test("every lesson loads, in the contract's order, and the binary holds the files as they are")
  func embedded() throws {
    #expect(LessonCatalog.builtIn.problems.isEmpty, "\(LessonCatalog.builtIn.problems)")
    #expect(Self.lessons.map(\.id) == Self.curriculum)
    #expect(LessonFiles.all.map(\.name) == Self.curriculum.map { $0 + ".md" })
    for file in LessonFiles.all {
      let bytes = try RegularFile.read(
        Self.directory + "/" + file.name, limit: RegularFile.textLimit)
      #expect(
        String(decoding: bytes, as: UTF8.self) == file.text,
        "\(file.name) differs from the embedded copy")
    }
  }

  @Test(
    "each lesson has 4-8 steps and an exercise, a program in its first step (hints: verify)")
  func shape() {
    for lesson in Self.lessons {
      #expect((4...8).contains(lesson.steps.count), "\(lesson.id): \(lesson.steps.count) steps")
      #expect(lesson.steps.contains { $0.exercise != nil }, "\(lesson.id) has no exercise")
      let first = lesson.steps.first
      #expect(
        first?.program != nil || first?.starter != nil, "\(lesson.id): step 1 has no program")
      for step in lesson.steps {
        guard case .challenge(let challenge)? = step.exercise else { continue }
        // A challenge is solved by a run (a one-line program solves it) or, with `check:`,
        // by the learner's code passing check (a code block solves it).
        #expect(
          challenge.solution != nil || (step.check != nil && step.solution != nil),
          "\(lesson.id): a challenge without a solution")
      }
    }
  }

  @Test(
    "scopelab verify's timed checks hold for every lesson and the guide: predictions, solutions, examples"
  )
  func verified() async throws {
    // The untimed checks (names, hints, most snippets, real code) are
    // BuiltInLessonUntimedTests', which run beside other tests.
    let problems = try await Self.verified(checks: .timed)
    #expect(Self.exercises(predict: true).count >= Self.curriculum.count)
    #expect(Self.exercises(predict: false).count >= 3)
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  @Test("the complete example in Lessons/README.md is a lesson that loads and checks")
  func readmeExample() async throws {
    let readme = String(
      decoding: try RegularFile.read(Self.directory + "/README.md", limit: RegularFile.textLimit),
      as: UTF8.self)
    let parts = readme.split(separator: "````\n", omittingEmptySubsequences: false)
    let text = try #require(parts.first { $0.hasPrefix("---\nid: ") }, "no example lesson")
    let lesson = try Lesson(parsing: String(text), name: "README.md example")
    #expect(lesson.steps.count == 2)
    let outcome = try await TranscriptCheck(slack: 3).run(lesson.document, consent: .everything)
    #expect(outcome.passed, "\(TranscriptCheck.report(outcome, file: "README.md example"))")
    guard case .challenge(let challenge)? = lesson.steps[1].exercise,
      let solution = challenge.solution
    else {
      Issue.record("step 2 of the example is no challenge with a solution")
      return
    }
    let solved = try await Self.run(solution, in: lesson, step: 2)
    #expect(challenge.missed(in: solved.events).isEmpty)
  }

  // MARK: - Helpers

  /// Every (lesson, step) with a prediction (`predict`) or a challenge.
  static func exercises(predict: Bool) -> [(String, Int)] {
    lessons.flatMap { lesson in
      lesson.steps.enumerated().compactMap { index, step -> (String, Int)? in
        switch step.exercise {
        case .predict? where predict: (lesson.id, index + 1)
        case .challenge? where !predict: (lesson.id, index + 1)
        default: nil
        }
      }
    }
  }

  /// The problems `verify` finds with `checks` in every lesson, the guide and the rules.
  /// All files at once, each in its own sessions: the programs mostly sleep. Events may be
  /// up to 300 ms late on a loaded two-core machine: slack 3.
  static func verified(checks: LessonVerifier.Checks) async throws -> [String] {
    let files =
      LessonFiles.all.map(\.text) + [
        String(
          decoding: try RegularFile.read(directory + "/README.md", limit: RegularFile.textLimit),
          as: UTF8.self),
        LessonFiles.rules,
      ]
    let names = LessonFiles.all.map(\.name) + ["README.md", "rules.md"]
    // Each python snippet under python3, and python3.12 and python3.13 where there are.
    let verifier = LessonVerifier(slack: 3, pythons: ["python3"] + InstalledPythons.newer)
    return await withTaskGroup(of: [String].self) { group in
      for (name, text) in zip(names, files) {
        group.addTask {
          do {
            let document = try TranscriptDocument(parsing: text, name: name)
            return await verifier.verify(document, consent: .everything, checks: checks)
              .map(\.description)
          } catch {
            return ["\(error)"]
          }
        }
      }
      return await group.reduce(into: []) { $0 += $1 }
    }
  }

  /// Runs `source` with the parameters `step` of `lesson` opens with.
  static func run(_ source: String, in lesson: Lesson, step: Int) async throws -> (
    outcome: String, events: [TraceEvent]
  ) {
    let parameters = lesson.parameters(atStep: step)
    let program = try Program(parsing: source, checkedAgainst: parameters)
    let run = ProgramRun(
      evaluator: ProgramEvaluator(parameters: parameters, clock: ContinuousClock()))
    let (outcome, events) = await run.runRecording(program, live: DiscardingSink())
    return (outcome.name, events)
  }
}
