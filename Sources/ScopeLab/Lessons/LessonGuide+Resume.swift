import AsyncScope

extension LessonGuide {
  /// For the REPL's greeting: where to go on in the lesson opened last - a built-in one or
  /// a lesson file - its next step not done yet, or (when it is finished) the next built-in
  /// lesson not finished.
  public var greeting: String? {
    guard let key = progress.current else { return nil }
    let lesson: Lesson
    let name: String
    let isFile = key.hasPrefix("file:")
    if isFile {
      let path = String(key.dropFirst("file:".count))
      do {
        lesson = try Lesson(contentsOf: path)
      } catch {
        return "Last time: the lesson file \(path.echoed(limit: 60)), which cannot be read now"
          + " - 'lessons' lists the built-in ones."
      }
      name = "\(lesson.id) (\(path.echoed(limit: 60)))"
    } else {
      guard let builtIn = catalog.lesson(key) else { return nil }
      lesson = builtIn
      name = key
    }
    let entry = progress[key]
    let count = lesson.steps.count
    let at = lesson.steps.firstIndex { $0.id == entry.step } ?? 0
    let undone = lesson.steps.indices.filter { !entry.completed.contains(lesson.steps[$0].id) }
    if let next = undone.first(where: { $0 >= at }) ?? undone.first {
      let title = lesson.steps[next].title
      guard next != at else {
        return "Last time: \(name) \(next + 1)/\(count), \(title)"
          + " - 'lesson' goes on from there, 'lessons' lists them all."
      }
      return "Last time: \(name) \(at + 1)/\(count); not done yet: step \(next + 1), \(title)"
        + " - 'lesson' then 'step \(next + 1)' goes there, 'lessons' lists them all."
    }
    // The lesson is finished: the next built-in one in the curriculum that is not (after a
    // lesson file, the first one that is not).
    let all = catalog.lessons
    let index = isFile ? 0 : (all.firstIndex { $0.id == key }.map { $0 + 1 } ?? 0)
    let later = Array(all[index...]) + Array(all[..<index])
    guard let following = later.first(where: { doneCount($0) < $0.steps.count }) else {
      return "Last time you finished \(name): every lesson is done - 'lessons' lists them all."
    }
    return "Last time you finished \(name); next: \(following.id), \(following.title)"
      + " - 'lesson \(following.id)' opens it, 'lessons' lists them all."
  }

  /// The open lesson and how many of its exercises are solved: what `restart` would
  /// forget.
  public var solvedInOpenLesson: (lesson: Lesson, solved: Int)? {
    guard let (lesson, _) = open else { return nil }
    let entry = progress[key(of: lesson)]
    return (lesson, lesson.steps.count { entry.solved.contains($0.id) })
  }

  /// What bare `lesson` opens: the lesson opened last (`progress.current`), where it was
  /// left - or why there is none.
  public var resumption: Result<LessonCommand, LessonResumeError> {
    guard let key = progress.current else {
      return .failure(
        LessonResumeError(
          message: "no lesson opened yet: 'lessons' lists them, 'lesson 1' opens the first"))
    }
    return .success(.open(key.hasPrefix("file:") ? String(key.dropFirst("file:".count)) : key))
  }
}

/// Why bare `lesson` opens nothing: one line, without `error:`.
public struct LessonResumeError: Error, Sendable, Equatable {
  public let message: String
}
