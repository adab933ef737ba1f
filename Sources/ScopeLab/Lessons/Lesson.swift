import AsyncScope

/// A lesson: a Markdown file with a front matter (id, title, parameters) whose `## `
/// headings are its steps (DESIGN.md, "Lessons and transcripts: one format").
public struct Lesson: Sendable, Equatable {
  /// The id `lesson NAME` opens and the prompt shows: `sleep-vs-timeout`.
  public let id: String
  public let title: String
  /// Where it came from, as errors name it: a built-in file's name, or a path.
  public let source: String
  /// The parameters it declares, with their defaults, in order.
  public let parameters: [Setting]
  /// The prose before the first step, shown when the lesson is opened.
  public let introduction: [String]
  public let steps: [LessonStep]
  /// The file the lesson was read from, for `replay --check` of its example blocks.
  public let document: TranscriptDocument

  /// A parameter's value: `sleep=3s` in the front matter or a step's `set:`.
  public struct Setting: Sendable, Equatable {
    public let name: String
    public let value: UserDuration
  }

  /// The lesson's parameters, declared on the built-in ones, as step `number` (from 1)
  /// starts them: the lesson's defaults, then the step's own `set:`.
  public func parameters(atStep number: Int) -> Parameters {
    var parameters = Parameters.builtIn
    for setting in self.parameters {
      let summary =
        parameters.entries[setting.name]?.summary ?? "a parameter of the lesson \(id)"
      parameters.declare(setting.name, default: setting.value, summary: summary)
    }
    if steps.indices.contains(number - 1) {
      for setting in steps[number - 1].settings {
        let summary = parameters.entries[setting.name]?.summary ?? ""
        parameters.declare(setting.name, default: setting.value, summary: summary)
      }
    }
    return parameters
  }
}

/// One `## ` step of a lesson.
public struct LessonStep: Sendable, Equatable {
  /// What progress knows the step by, so inserting a step moves nothing: its heading as a
  /// slug (`make-it-time-out`), or the `id:` its step block gives.
  public let id: String
  public let title: String
  /// The line of its heading in the lesson file.
  public let lineNumber: Int
  /// Its prose up to the program (all of it when there is none), as written, with the
  /// lesson's own fences (`step`, `scopelab`) taken out.
  public let prose: [String]
  /// Its prose after the program (up to `### After the run`).
  public let afterProgram: [String]
  /// Its after-run text: what follows a `### After the run` line, without that line.
  /// `show` leaves it out until the learner's first run of the step's program (or the
  /// step is done); that run prints it once, after its verdict.
  public let afterRun: [String]
  /// The ```` ```scope ```` program, if the step has one.
  public let program: String?
  /// Parameters the step sets when it opens (`set: sleep=3s`).
  public let settings: [Lesson.Setting]
  /// Its hints, in order: each reveals more than the one before.
  public let hints: [String]
  public let exercise: Exercise?
  /// Real code instead of a ```` ```scope ```` program: a ```` ```python starter ```` or
  /// ```` ```swift starter ```` block, what a bare `run` runs and `edit` starts from.
  public var starter: StepCode? = nil
  /// Its ```` ```python solution ```` (or swift) block: never shown; `verify` checks it.
  public var solution: StepCode? = nil
  /// `check: timeout NAME`: how `check` grades the learner's code in this step (and, with
  /// a challenge, what solves it).
  public var check: StepCheck? = nil

  /// Whether the id was given (`id:`) rather than made from the heading.
  var hasExplicitID: Bool { id != LessonParser.slug(title) }

  /// The step with another id.
  func with(id: String) -> LessonStep {
    LessonStep(
      id: id, title: title, lineNumber: lineNumber, prose: prose, afterProgram: afterProgram,
      afterRun: afterRun, program: program, settings: settings, hints: hints, exercise: exercise,
      starter: starter, solution: solution, check: check)
  }
}
