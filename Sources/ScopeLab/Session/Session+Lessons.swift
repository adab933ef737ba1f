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
  /// For the REPL's greeting: where to go on, if the last lesson opened was a built-in one -
  /// its next step not done yet, or (when it is finished) the next lesson not finished.
  public var lessonGreeting: String? {
    guard let guide = lessons as? LessonGuide, let id = guide.progress.current,
      let lesson = guide.catalog.lesson(id)
    else { return nil }
    let entry = guide.progress[id]
    let count = lesson.steps.count
    let at = lesson.steps.firstIndex { $0.id == entry.step } ?? 0
    let undone = lesson.steps.indices.filter { !entry.completed.contains(lesson.steps[$0].id) }
    if let next = undone.first(where: { $0 >= at }) ?? undone.first {
      let title = lesson.steps[next].title
      guard next != at else {
        return "Last time: \(id) \(next + 1)/\(count), \(title)"
          + " - 'lesson' goes on from there, 'lessons' lists them all."
      }
      return "Last time: \(id) \(at + 1)/\(count); not done yet: step \(next + 1), \(title)"
        + " - 'lesson' then 'step \(next + 1)' goes there, 'lessons' lists them all."
    }
    // The lesson is finished: the next one in the curriculum that is not.
    let all = guide.catalog.lessons
    let index = all.firstIndex { $0.id == id } ?? 0
    let later = Array(all[(index + 1)...]) + Array(all[..<index])
    guard let following = later.first(where: { guide.doneCount($0) < $0.steps.count }) else {
      return "Last time you finished \(id): every lesson is done - 'lessons' lists them all."
    }
    return "Last time you finished \(id); next: \(following.id), \(following.title)"
      + " - 'lesson \(following.id)' opens it, 'lessons' lists them all."
  }

  /// Bare `lesson`: the lesson opened last (`progress.current`), where it was left.
  func resumeLesson() -> CommandResult {
    guard let guide = lessons as? LessonGuide else {
      return fail("usage: lesson [NAME|NUMBER|FILE.md]")
    }
    guard let key = guide.progress.current else {
      return fail("no lesson opened yet: 'lessons' lists them, 'lesson 1' opens the first")
    }
    let name = key.hasPrefix("file:") ? String(key.dropFirst("file:".count)) : key
    return performLessonCommand(.success(.open(name)))
  }

  /// `restart [--force]`: asks before forgetting the open lesson's solved exercises (at a
  /// terminal, ``TranscriptTap/confirmation``); with no way to ask it needs `--force`. A
  /// replay does not ask: the recording's `restart` was answered when it was typed, and
  /// the progress it forgets is the replay's own.
  func restartLesson(_ rest: String) async -> CommandResult {
    guard rest.isEmpty || rest == "--force" else { return fail("usage: restart [--force]") }
    if rest.isEmpty, consent == nil, let guide = lessons as? LessonGuide,
      let (lesson, _) = guide.open
    {
      let entry = guide.progress[guide.key(of: lesson)]
      let solved = lesson.steps.count { entry.solved.contains($0.id) }
      if solved > 0 {
        let exercises =
          solved == 1 ? "its solved exercise is" : "its \(solved) solved exercises are"
        guard let confirmation = transcript.confirmation else {
          return fail(
            "restart forgets \(lesson.id)'s solved exercises (\(solved)):"
              + " 'restart --force' to begin again anyway")
        }
        guard await confirmation("restart \(lesson.id)? \(exercises) forgotten [y/N] ") else {
          say("not restarted: \(lesson.id) is left as it was\n")
          return .done
        }
      }
    }
    return performLessonCommand(.success(.restart))
  }
}
