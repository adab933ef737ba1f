import AsyncScope
import Lessons
import Testing

@testable import ScopeLab

/// The curriculum itself: that every lesson loads, has the shape the issue asks for, and
/// that every claim it makes - a predicted outcome, a challenge's solution, an example
/// block's output - is what a real run shows.
@Suite("Built-in lessons", .serialized)
struct BuiltInLessonTests {
  static let curriculum = [
    "runner-flag", "sleep-vs-timeout", "process-scope", "async-protocol",
    "errors-and-suppression", "cancellation", "task-groups",
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
      let bytes = try TextFile.read(Self.directory + "/" + file.name)
      #expect(
        String(decoding: bytes, as: UTF8.self) == file.text,
        "\(file.name) differs from the embedded copy")
    }
  }

  @Test(
    "each lesson has 4-8 steps and an exercise, a program in its first step, two hints per program")
  func shape() {
    for lesson in Self.lessons {
      #expect((4...8).contains(lesson.steps.count), "\(lesson.id): \(lesson.steps.count) steps")
      #expect(lesson.steps.contains { $0.exercise != nil }, "\(lesson.id) has no exercise")
      #expect(lesson.steps.first?.program != nil, "\(lesson.id): step 1 has no program")
      for (index, step) in lesson.steps.enumerated() where step.program != nil {
        #expect(
          step.hints.count >= 2, "\(lesson.id) step \(index + 1) has \(step.hints.count) hints")
        let lengths = step.hints.map(\.count)
        #expect(
          Set(step.hints).count == step.hints.count, "\(lesson.id) step \(index + 1) repeats a hint"
        )
        _ = lengths
      }
      if case .challenge(let challenge)? = lesson.steps.first(where: {
        if case .challenge? = $0.exercise { true } else { false }
      })?.exercise {
        #expect(challenge.solution != nil, "\(lesson.id): a challenge without a solution")
      }
    }
  }

  /// One exercise's claims checked against real runs: the problems found.
  static func check(_ id: String, _ number: Int) async -> [String] {
    guard let lesson = LessonCatalog.builtIn.lesson(id) else { return ["no lesson \(id)"] }
    let step = lesson.steps[number - 1]
    let name = "\(id) step \(number)"
    do {
      switch step.exercise {
      case .predict(let answer, _)?:
        guard let program = step.program else { return ["\(name): a prediction with no program"] }
        let outcome = try await run(program, in: lesson, step: number).outcome
        return outcome == answer ? [] : ["\(name): predicts \(answer), the run gave \(outcome)"]
      case .challenge(let challenge)?:
        guard let solution = challenge.solution else { return ["\(name): no solution"] }
        var problems: [String] = []
        let missed = challenge.missed(in: try await run(solution, in: lesson, step: number).events)
        if !missed.isEmpty { problems.append("\(name): the solution misses \(missed)") }
        if let program = step.program,
          challenge.missed(in: try await run(program, in: lesson, step: number).events).isEmpty
        {
          problems.append("\(name): the step's own program already solves it")
        }
        return problems
      case nil:
        return []
      }
    } catch {
      return ["\(name): \(error)"]
    }
  }

  @Test(
    "each prediction is the outcome its program really gives; each challenge is not solved by its step's program, and is by its solution"
  )
  func exercisesHold() async throws {
    let exercises = Self.exercises(predict: true) + Self.exercises(predict: false)
    #expect(exercises.count >= Self.curriculum.count)
    // All at once: the programs mostly sleep, so this takes as long as the longest.
    let problems = await withTaskGroup(of: [String].self) { group in
      for (id, number) in exercises { group.addTask { await Self.check(id, number) } }
      return await group.reduce(into: []) { $0 += $1 }
    }
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test("every lesson file passes replay --check: its example blocks show what it claims")
  func examples() async throws {
    // All lessons at once, each in its own session. SEMANTICS.md allows events up to
    // 300 ms late on a loaded two-core machine: slack 3.
    let reports = await withTaskGroup(of: String?.self) { group in
      for lesson in Self.lessons {
        group.addTask {
          guard !lesson.document.blocks.isEmpty else { return "\(lesson.id) has no example block" }
          do {
            let outcome = try await TranscriptCheck(slack: 3).run(
              lesson.document, consent: .everything)
            return outcome.passed ? nil : TranscriptCheck.report(outcome, file: lesson.id + ".md")
          } catch {
            return "\(lesson.id): \(error)"
          }
        }
      }
      return await group.reduce(into: [String]()) { if let report = $1 { $0.append(report) } }
    }
    #expect(Self.lessons.count == Self.curriculum.count)
    #expect(reports.isEmpty, "\(reports.joined(separator: "\n"))")
  }

  @Test("the complete example in Lessons/README.md is a lesson that loads and checks")
  func readmeExample() async throws {
    let readme = String(decoding: try TextFile.read(Self.directory + "/README.md"), as: UTF8.self)
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
