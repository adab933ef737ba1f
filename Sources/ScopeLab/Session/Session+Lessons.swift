import AsyncScope

extension Session {
  /// The open lesson, when the session's navigator is a ``LessonGuide``.
  var openLesson: Lesson? {
    (lessons as? LessonGuide)?.open?.lesson
  }

  /// Puts the session at `step` of `lesson` without a word, as `replay` does before each
  /// example block of a lesson file; nothing happens when it is there already.
  func place(in lesson: Lesson, step: Int) {
    guard var guide = lessons as? LessonGuide else { return }
    if let open = guide.open, open.lesson == lesson, open.step == step { return }
    guide.install(lesson, step: step, parameters: &parameters)
    lessons = guide
    editedProgram = nil
  }

  /// Starts the lessons from `progress` (a replay, from its recording's): nothing is saved.
  func startProgress(_ progress: LessonProgress) {
    guard var guide = lessons as? LessonGuide else { return }
    guide.progress = progress
    lessons = guide
  }

  /// What loading the lessons and the progress file said, to show once at the start.
  public var lessonWarning: String? {
    (lessons as? LessonGuide)?.warning
  }
}

extension Session {
  /// For the REPL's greeting: where the learner was last time, if a lesson is unfinished.
  public var lessonGreeting: String? {
    guard let guide = lessons as? LessonGuide, let id = guide.progress.current,
      let lesson = guide.catalog.lesson(id)
    else { return nil }
    let entry = guide.progress[id]
    let step = (lesson.steps.firstIndex { $0.id == entry.step } ?? 0) + 1
    return "Last time: \(id) \(step)/\(lesson.steps.count), \(lesson.steps[step - 1].title)"
      + " - 'lesson \(id)' goes on from there, 'lessons' lists them all."
  }
}
