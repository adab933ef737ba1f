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

  /// What loading the lessons and the progress file said, to show once at the start.
  public var lessonWarning: String? {
    (lessons as? LessonGuide)?.warning
  }
}
