import AsyncScope
import LineEditor

/// What the learner has done: steps solved and revealed, saved after every change.
extension LessonGuide {
  /// The key progress keeps `lesson` under: a built-in lesson's id; for any other (a
  /// file, even one that reuses a built-in id), `file:` and the file's full path.
  public func key(of lesson: Lesson) -> String {
    if catalog.lesson(lesson.id) == lesson { return lesson.id }
    return "file:" + RegularFile.canonicalPath(lesson.source)
  }

  /// Whether the exercise of step `number` of `lesson` is solved.
  func isSolved(_ lesson: Lesson, _ number: Int) -> Bool {
    progress[key(of: lesson)].solved.contains(lesson.steps[number - 1].id)
  }

  /// Whether step `number` of `lesson` shows its after-run text: its own program has run
  /// (``LessonProgress/Entry/ran``), or the step is done (its exercise solved or, for a
  /// step without one, run or passed) - in saved progress too.
  func isRevealed(_ lesson: Lesson, _ number: Int) -> Bool {
    let step = lesson.steps[number - 1]
    let entry = progress[key(of: lesson)]
    return entry.ran.contains(step.id) || entry.completed.contains(step.id)
  }

  /// How many of `lesson`'s steps are done.
  func doneCount(_ lesson: Lesson) -> Int {
    let entry = progress[key(of: lesson)]
    return lesson.steps.count { entry.completed.contains($0.id) }
  }

  func hintKey(_ lesson: Lesson, _ step: LessonStep) -> String {
    key(of: lesson) + "/" + step.id
  }

  mutating func markCompleted(_ lesson: Lesson, _ step: Int) {
    guard lesson.steps[step - 1].exercise == nil else { return }
    progress[key(of: lesson)].completed.insert(lesson.steps[step - 1].id)
  }

  mutating func solve(_ lesson: Lesson, _ step: Int) -> String {
    let key = key(of: lesson)
    let id = lesson.steps[step - 1].id
    let already = progress[key].solved.contains(id)
    progress[key].solved.insert(id)
    progress[key].completed.insert(id)
    let more =
      step < lesson.steps.count ? "type 'next' to go on" : "type 'next' to finish the lesson"
    return already ? "(solved before: \(more))" : "exercise solved: \(more)"
  }

  mutating func save() -> [String] {
    store.save(progress).map { [$0] } ?? []
  }

  mutating func saveText() -> String {
    save().map { $0 + "\n" }.joined()
  }
}
