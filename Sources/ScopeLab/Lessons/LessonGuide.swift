import AsyncScope
import LineEditor

/// The lessons side of a session: the catalog, the open lesson and step, the hints shown
/// and the learner's progress, saved after every change.
public struct LessonGuide: LessonNavigator {
  public let catalog: LessonCatalog
  public let store: any ProgressStore
  public internal(set) var progress: LessonProgress
  /// The open lesson and its step (from 1).
  public private(set) var open: (lesson: Lesson, step: Int)?
  /// How many hints of each step have been shown: `lesson-id/step`.
  private var hintsShown: [String: Int] = [:]
  /// Lessons opened from files, by id: `lesson FILE.md`.
  var fromFiles: [String: Lesson] = [:]
  /// What loading the progress file said, for the session to show once.
  public private(set) var warning: String?
  /// The colours lesson prose is shown in (its Markdown's emphasis and code).
  public var palette: Palette = .plain
  /// The columns a step's program is listed for (``LessonText/listing(_:width:)``): the
  /// session sets it to its prose width before each lesson command.
  public var width: Int = TextLayout.transcriptWidth

  public init(catalog: LessonCatalog = .builtIn, store: any ProgressStore = MemoryProgressStore()) {
    self.catalog = catalog
    self.store = store
    var (progress, warning) = store.load()
    // Version 1 progress (steps by number) of the built-in lessons, mapped to step ids.
    for lesson in catalog.lessons { progress.adopt(legacyOf: lesson, as: lesson.id) }
    self.progress = progress
    let problems = catalog.problems.map { "warning: a built-in lesson does not load: \($0)" }
    self.warning = ([warning].compactMap { $0 } + problems).joined(separator: "\n").nonEmpty
  }

  // MARK: - LessonNavigator

  public var position: String? {
    open.map { "\($0.lesson.id) \($0.step)/\($0.lesson.steps.count)" }
  }

  public var currentProgram: String? { currentStep?.program }

  public var lessonIDs: [String] { catalog.lessons.map(\.id) }

  public var currentExercise: Exercise? { currentStep?.exercise }

  /// The open step.
  public var currentStep: LessonStep? {
    open.map { $0.lesson.steps[$0.step - 1] }
  }

  public mutating func perform(
    _ command: LessonCommand, parameters: inout Parameters
  ) -> LessonReply {
    switch command {
    case .list:
      return .shown(
        LessonText.list(catalog.lessons, progress: progress, open: open.map { key(of: $0.lesson) }))
    case .open(let name):
      return openLesson(name, parameters: &parameters)
    case .next:
      guard let (lesson, step) = open else { return noLesson }
      guard step < lesson.steps.count else { return .shown(finished(lesson, at: step)) }
      markCompleted(lesson, step)
      return go(to: step + 1, parameters: &parameters)
    case .back:
      guard let (_, step) = open else { return noLesson }
      guard step > 1 else {
        return .failed("this is the first step: 'next' goes on, 'step N' jumps")
      }
      return go(to: step - 1, parameters: &parameters)
    case .step(let text):
      guard let (lesson, _) = open else { return noLesson }
      guard let number = Int(text), (1...lesson.steps.count).contains(number) else {
        return .failed(
          "step takes a number from 1 to \(lesson.steps.count), not '\(text.echoed(limit: 20))'")
      }
      return go(to: number, parameters: &parameters)
    case .restart:
      guard let (lesson, _) = open else { return noLesson }
      progress[key(of: lesson)] = LessonProgress.Entry()
      for step in lesson.steps { hintsShown[hintKey(lesson, step)] = nil }
      let reply = go(
        to: 1, parameters: &parameters,
        heading: "Starting \(lesson.id) again from step 1: its exercises are unsolved again.\n\n")
      return reply
    case .whereAmI:
      guard let (lesson, step) = open else { return noLesson }
      return .shown(
        "\(lesson.id) \(step)/\(lesson.steps.count): \(lesson.steps[step - 1].title)"
          + " (\(doneCount(lesson))/\(lesson.steps.count) done)\n")
    case .show:
      guard let (lesson, step) = open else {
        return .failed(
          "no lesson open: 'lessons' lists them, 'lesson 1' opens the first "
            + "('show swift' and 'show python' show the last program run)")
      }
      return .shown(
        LessonText.step(
          lesson, step, parameters: parameters, solved: isSolved(lesson, step),
          revealed: isRevealed(lesson, step), palette: palette, width: width))
    case .hint:
      return hint()
    }
  }

  // MARK: - Moving

  private var noLesson: LessonReply {
    .failed("no lesson open: 'lessons' lists them, 'lesson 1' opens the first")
  }

  private mutating func openLesson(_ name: String, parameters: inout Parameters) -> LessonReply {
    let lesson: Lesson
    switch find(name) {
    case .success(let found): lesson = found
    case .failure(let problem): return .failed(problem.message)
    }
    let key = key(of: lesson)
    progress.adopt(legacyOf: lesson, as: key)
    let entry = progress[key]
    let step = (lesson.steps.firstIndex { $0.id == entry.step } ?? 0) + 1
    open = (lesson, step)
    progress.current = key
    parameters = lesson.parameters(atStep: step)
    let count = lesson.steps.count
    var text = "\(lesson.title) (\(lesson.id), \(count) step\(count == 1 ? "" : "s"))\n"
    if step == 1 {
      if !lesson.introduction.isEmpty {
        text += "\n" + LessonText.prose(lesson.introduction, palette: palette)
      }
    } else {
      text +=
        "Resuming at step \(step) (\(doneCount(lesson)) of \(lesson.steps.count) done; 'restart' begins again).\n"
    }
    progress[key].step = lesson.steps[step - 1].id
    return .shown(
      text + "\n"
        + LessonText.step(
          lesson, step, parameters: parameters, solved: isSolved(lesson, step),
          revealed: isRevealed(lesson, step), palette: palette, width: width)
        + saveText())
  }

  private mutating func go(to number: Int, parameters: inout Parameters, heading: String = "")
    -> LessonReply
  {
    guard let (lesson, _) = open else { return noLesson }
    open = (lesson, number)
    let key = key(of: lesson)
    progress[key].step = lesson.steps[number - 1].id
    progress.current = key
    let before = parameters
    parameters = lesson.parameters(atStep: number)
    var text = heading
    let changed = parameters.order.filter {
      (try? before.value($0)) != (try? parameters.value($0))
    }
    if !changed.isEmpty {
      let values = changed.compactMap { name in
        (try? parameters.value(name)).map { "\(name) = \($0)" }
      }
      text += "(this step's values: \(values.joined(separator: ", ")))\n\n"
    }
    return .shown(
      text
        + LessonText.step(
          lesson, number, parameters: parameters, solved: isSolved(lesson, number),
          revealed: isRevealed(lesson, number), palette: palette, width: width)
        + saveText())
  }

  private mutating func finished(_ lesson: Lesson, at step: Int) -> String {
    markCompleted(lesson, step)
    let entry = progress[key(of: lesson)]
    var text = "That was the last step: \(lesson.id) is "
    let open = lesson.steps.indices.map { $0 + 1 }.filter {
      !entry.completed.contains(lesson.steps[$0 - 1].id)
    }
    if open.isEmpty {
      text += "done (\(lesson.steps.count)/\(lesson.steps.count)).\n"
    } else {
      let list = open.map(String.init).joined(separator: ", ")
      text +=
        "done but for step\(open.count == 1 ? "" : "s") \(list) (\(doneCount(lesson))/\(lesson.steps.count)): 'step \(open[0])' goes back.\n"
    }
    guard key(of: lesson) == lesson.id else {
      // A lesson of one's own: the built-in ones are not its sequel.
      return text + "'lessons' lists the built-in lessons.\n" + saveText()
    }
    if let index = catalog.lessons.firstIndex(where: { $0.id == lesson.id }),
      index + 1 < catalog.lessons.count
    {
      let next = catalog.lessons[index + 1]
      text += "Next: lesson \(index + 2), \(next.id) - \(next.title): type 'lesson \(next.id)'.\n"
    } else {
      text += "That was the last lesson. 'lessons' shows what you have done.\n"
    }
    return text + saveText()
  }

  private mutating func hint() -> LessonReply {
    guard let (lesson, step) = open else { return noLesson }
    let hints = lesson.steps[step - 1].hints
    guard !hints.isEmpty else { return .failed("this step has no hints") }
    let key = hintKey(lesson, lesson.steps[step - 1])
    let shown = hintsShown[key] ?? 0
    guard shown < hints.count else {
      return .shown(
        "No more hints: that was \(hints.count) of \(hints.count). The last one again:\n"
          + LessonText.hint(
            hints[hints.count - 1], number: hints.count, of: hints.count, palette: palette))
    }
    hintsShown[key] = shown + 1
    return .shown(
      LessonText.hint(hints[shown], number: shown + 1, of: hints.count, palette: palette))
  }

  /// Opens `lesson` (a lesson file being checked) at `step`, as `lesson` and `step` would.
  mutating func install(_ lesson: Lesson, step: Int, parameters: inout Parameters) {
    fromFiles[lesson.id] = lesson
    open = (lesson, step)
    parameters = lesson.parameters(atStep: step)
  }
}

extension String {
  fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
