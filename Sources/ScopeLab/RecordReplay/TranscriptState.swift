import AsyncScope
import LineEditor

/// The state a transcript was recorded in, from its front matter: the open lesson and
/// step, and the parameters that differed from their defaults. Replay restores it first,
/// so a recording begun mid-lesson replays the same.
enum TranscriptState {
  /// Sets `session` up as `document`'s front matter says; what that prints is not output
  /// of any command.
  static func restore(_ document: TranscriptDocument, in session: Session)
    async throws(TranscriptError)
  {
    guard let frontMatter = document.frontMatter else { return }
    func fail(_ entry: FrontMatter.Entry?, _ message: String) -> TranscriptError {
      TranscriptError(file: document.name, line: entry?.lineNumber, message: message)
    }
    let entry = { (key: String) in frontMatter.entries.first { $0.key == key } }
    if let snapshot = entry("progress") {
      let progress: LessonProgress
      do {
        progress = try LessonProgress(json: snapshot.value)
      } catch {
        throw fail(snapshot, "progress is not the progress a recording keeps: \(error.message)")
      }
      session.startProgress(
        progress.rekeyingFiles {
          "file:" + RegularFile.canonicalPath(TranscriptDocument.path($0, in: document.folder))
        })
    }
    if let lesson = entry("lesson") {
      guard await session.perform(.lesson(lesson.value)) == .done else {
        throw fail(
          lesson,
          "the transcript starts in lesson '\(lesson.value.echoed())', which cannot be opened")
      }
      if let step = entry("step") {
        guard let number = Int(step.value), number >= 1 else {
          throw fail(step, "step must be a number from 1, not '\(step.value.echoed())'")
        }
        guard await session.perform(.step(String(number))) == .done else {
          throw fail(step, "the lesson has no step \(number)")
        }
      }
    } else if let step = entry("step") {
      throw fail(step, "'step' needs a 'lesson' in the front matter")
    }
    if let settings = entry("set") {
      for text in Assignment.items(settings.value) {
        guard let setting = Assignment(text), !setting.name.isEmpty else {
          throw fail(
            settings, "set takes name=value pairs separated by commas, not '\(text.echoed())'")
        }
        guard session.setParameter(setting.trimmed.name, to: setting.trimmed.value) == .done
        else {
          throw fail(settings, "cannot set \(setting.name.echoed()) to '\(setting.value.echoed())'")
        }
      }
    }
  }

  /// For a lesson file, the step (from 1) each of its example blocks belongs to, with the
  /// lesson opened in `session` at its first step; `nil` for a recording.
  static func lessonSteps(_ document: TranscriptDocument, in session: Session)
    throws(TranscriptError) -> [Int]?
  {
    guard Lesson.isLesson(document) else { return nil }
    let lesson = try LessonParser.lesson(from: document)
    session.place(in: lesson, step: 1)
    return document.blocks.map { block in
      lesson.steps.lastIndex { $0.lineNumber < block.openingLine }.map { $0 + 1 } ?? 1
    }
  }
}
