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
  /// For the REPL's greeting: where to go on in the lesson opened last
  /// (``LessonGuide/greeting``).
  public var lessonGreeting: String? {
    (lessons as? LessonGuide)?.greeting
  }

  /// Bare `lesson`: the lesson opened last (`progress.current`), where it was left.
  func resumeLesson() -> CommandResult {
    guard let guide = lessons as? LessonGuide else {
      return fail("usage: lesson [NAME|NUMBER|FILE.md]")
    }
    switch guide.resumption {
    case .success(let command): return performLessonCommand(command)
    case .failure(let error): return fail(error.message)
    }
  }

  /// `restart [--force]`: asks before forgetting the open lesson's solved exercises (at a
  /// terminal, ``Session/confirmation``); with no way to ask it needs `--force`. A
  /// replay does not ask: the recording's `restart` was answered when it was typed, and
  /// the progress it forgets is the replay's own.
  func restartLesson(force: Bool) async -> CommandResult {
    if !force, consent == nil, let guide = lessons as? LessonGuide,
      let (lesson, solved) = guide.solvedInOpenLesson
    {
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
      note += codeKeptNote(editedProgram?.program)
      editedProgram = nil
    case .show(nil):
      if let edited = editedProgram, edited.position == lessons.position {
        switch edited.program {
        case .file(let path, _):
          note +=
            "\nYour code, which 'run' runs ('step N' or 'reset' go back to the step's), in "
            + path.controlCharactersEscaped + ":\n"
            + TextLayout.indented(realCodeText(edited.program) ?? "") + "\n"
        case .starter: break
        case .scope(let source):
          note +=
            "\nYour edited program, which 'run' runs ('step N' or 'reset' go back to the step's):\n"
            + TextLayout.indented(source) + "\n"
        }
      }
    default:
      break
    }
    if moved || command == .restart {
      if let edited = editedProgram, edited.position != lessons.position {
        note += codeKeptNote(edited.program)
        editedProgram = nil
      }
      if let predicted = prediction {
        prediction = nil
        note += "(your prediction \(predicted) was for \(before ?? "the last step"): dropped)\n"
      }
    }
    return note
  }
}
