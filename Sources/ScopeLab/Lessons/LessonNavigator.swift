public import AsyncScope

/// The lessons side of a session: where the learner is, and the commands that move them.
///
/// A ``Session`` holds one and asks it for three things: the position its prompt shows
/// (`scopelab sleep-vs-timeout 2/5> `), the program that `run` with no program runs, and
/// the lesson commands (`lessons`, `lesson`, `next`, `back`, `step`, `restart`, `where`,
/// `show`, `hint`). Until lessons exist the session holds ``NoLessons``; a catalog-backed
/// navigator replaces it without changing the session.
public protocol LessonNavigator {
  /// The open lesson and step for the prompt, such as `sleep-vs-timeout 2/5`; `nil` when
  /// no lesson is open.
  var position: String? { get }

  /// The current step's program: what `run` with no program runs; `nil` when there is none.
  var currentProgram: String? { get }

  /// The lesson ids, for completing `lesson`.
  var lessonIDs: [String] { get }

  /// Performs one lesson command. Opening a lesson may declare its parameters in
  /// `parameters`; `restart` may reset them.
  mutating func perform(_ command: LessonCommand, parameters: inout Parameters) -> LessonReply

  /// The open step's exercise, if it has one.
  var currentExercise: Exercise? { get }

  /// What a finished run adds to the output when a lesson is open (an exercise's verdict),
  /// one line each. `isStepProgram` says whether the step's own program ran;
  /// `prediction` is the learner's `predict` for this run and whether it held;
  /// `timing` is how a challenge's `time:` windows are judged (a check on a busy machine
  /// moves their late edges, ``ChallengeTiming``).
  mutating func runFinished(
    events: [TraceEvent], isStepProgram: Bool, prediction: (predicted: String, held: Bool)?,
    timing: ChallengeTiming
  ) -> [String]

  /// What `check` on the learner's code adds when a lesson is open: the verdict of a
  /// challenge that `check` solves (a step with `check:` and `challenge:`), one line each.
  mutating func checkFinished(passed: Bool) -> [String]
}

extension LessonNavigator {
  /// The open step's exercise; `nil` when no lesson is open or the step has none.
  public var currentExercise: Exercise? { nil }

  /// What a finished run adds to the output when a lesson is open (an exercise's verdict),
  /// one line each; the navigator may count the step as done.
  public mutating func runFinished(
    events: [TraceEvent], isStepProgram: Bool, prediction: (predicted: String, held: Bool)?,
    timing: ChallengeTiming
  ) -> [String] { [] }

  /// What `check` adds: nothing, unless the navigator has such challenges.
  public mutating func checkFinished(passed: Bool) -> [String] { [] }

  /// ``runFinished(events:isStepProgram:prediction:timing:)`` with the windows as written.
  public mutating func runFinished(
    events: [TraceEvent], isStepProgram: Bool, prediction: (predicted: String, held: Bool)?
  ) -> [String] {
    runFinished(
      events: events, isStepProgram: isStepProgram, prediction: prediction,
      timing: ChallengeTiming())
  }
}
