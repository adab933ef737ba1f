import AsyncScope

extension Session {
  /// The open lesson, when the session's navigator is a ``LessonGuide``.
  var openLesson: Lesson? {
    (lessons as? LessonGuide)?.open?.lesson
  }

  /// Puts the session at `step` of `lesson` without a word, as `replay` does before each
  /// example block of a lesson file; nothing happens when it is there already. An edit
  /// and a prediction belong to the step they were made at, so moving drops both.
  func place(in lesson: Lesson, step: Int) {
    guard var guide = lessons as? LessonGuide else { return }
    if let open = guide.open, open.lesson == lesson, open.step == step { return }
    guide.install(lesson, step: step, parameters: &parameters)
    lessons = guide
    editedProgram = nil
    prediction = nil
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
  /// For the REPL's greeting: where to go on in the lesson opened last - a built-in one or
  /// a lesson file - its next step not done yet, or (when it is finished) the next built-in
  /// lesson not finished.
  public var lessonGreeting: String? {
    guard let guide = lessons as? LessonGuide, let key = guide.progress.current else {
      return nil
    }
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
      guard let builtIn = guide.catalog.lesson(key) else { return nil }
      lesson = builtIn
      name = key
    }
    let entry = guide.progress[key]
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
    let all = guide.catalog.lessons
    let index = isFile ? 0 : (all.firstIndex { $0.id == key }.map { $0 + 1 } ?? 0)
    let later = Array(all[index...]) + Array(all[..<index])
    guard let following = later.first(where: { guide.doneCount($0) < $0.steps.count }) else {
      return "Last time you finished \(name): every lesson is done - 'lessons' lists them all."
    }
    return "Last time you finished \(name); next: \(following.id), \(following.title)"
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
    return performLessonCommand(.open(name))
  }

  /// `restart [--force]`: asks before forgetting the open lesson's solved exercises (at a
  /// terminal, ``Session/confirmation``); with no way to ask it needs `--force`. A
  /// replay does not ask: the recording's `restart` was answered when it was typed, and
  /// the progress it forgets is the replay's own.
  func restartLesson(force: Bool) async -> CommandResult {
    if !force, consent == nil, let guide = lessons as? LessonGuide,
      let (lesson, _) = guide.open
    {
      let entry = guide.progress[guide.key(of: lesson)]
      let solved = lesson.steps.count { entry.solved.contains($0.id) }
      if solved > 0 {
        let exercises =
          solved == 1 ? "its solved exercise is" : "its \(solved) solved exercises are"
        guard let confirmation else {
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
    return performLessonCommand(.restart)
  }
}

/// The lesson commands (`lesson`, `next`, `step N`, `show`, ...) and what leaving a step
/// drops.
extension Session {
  func performLessonCommand(_ command: LessonCommand) -> CommandResult {
    var command = command
    if case .open(let name) = command, LessonGuide.namesFile(name) {
      command = .open(TranscriptDocument.path(name, in: fileBase))
    }
    // A step's program is listed for the width its text is fitted to.
    if var guide = lessons as? LessonGuide, guide.width != proseWidth {
      guide.width = proseWidth
      lessons = guide
    }
    let before = lessons.position
    let reply = lessons.perform(command, parameters: &parameters)
    var note = ""
    if case .shown = reply {
      note = leaveStep(before, for: command)
    }
    switch reply {
    case .shown(let text):
      // A lesson file's text may hold bidirectional overrides (controls it cannot hold):
      // shown escaped, so that no line reads other than it is.
      say(text.controlCharactersEscapedButLineBreaksAndStyles + note)
      return .done
    case .failed(let message):
      return fail(message)
    }
  }

  /// After a lesson command that succeeded: a program `edit` gave belongs to its step, and
  /// a prediction to the step it was made in. Moving to another step drops both; `step N`
  /// and `restart` go back to the step's own program even when the step stays. Bare `show`
  /// names the edited program `run` runs. What to add to the command's output.
  func leaveStep(_ before: String?, for command: LessonCommand) -> String {
    let moved = before != lessons.position
    var note = ""
    switch command {
    case .step, .restart:
      editedProgram = nil
    case .show(nil):
      if let edited = editedProgram, edited.position == lessons.position {
        note +=
          "\nYour edited program, which 'run' runs ('step N' or 'reset' go back to the step's):\n"
          + Self.indented(edited.source) + "\n"
      }
    default:
      break
    }
    if moved || command == .restart {
      if let edited = editedProgram, edited.position != lessons.position { editedProgram = nil }
      if let predicted = prediction {
        prediction = nil
        note += "(your prediction \(predicted) was for \(before ?? "the last step"): dropped)\n"
      }
    }
    return note
  }

  /// `text` with every line indented by four spaces, as the REPL shows a program.
  static func indented(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
      .joined(separator: "\n")
  }
}
