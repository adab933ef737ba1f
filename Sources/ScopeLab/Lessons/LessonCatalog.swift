import Lessons

/// The built-in lessons, in curriculum order, read from the files embedded in the binary.
public struct LessonCatalog: Sendable {
  public let lessons: [Lesson]
  /// Built-in files that did not load: a bug in a lesson, shown as a warning rather than
  /// stopping the REPL (the lesson tests fail on it).
  public let problems: [TranscriptError]

  public init(lessons: [Lesson], problems: [TranscriptError] = []) {
    self.lessons = lessons
    self.problems = problems
  }

  /// The lessons embedded in the binary (`Lessons/*.md`).
  public static let builtIn: LessonCatalog = {
    var lessons: [Lesson] = []
    var problems: [TranscriptError] = []
    for file in LessonFiles.all {
      do throws(TranscriptError) {
        lessons.append(try Lesson(parsing: file.text, name: file.name))
      } catch {
        problems.append(error)
      }
    }
    return LessonCatalog(lessons: lessons, problems: problems)
  }()

  /// The lesson with id `id`.
  public func lesson(_ id: String) -> Lesson? {
    lessons.first { $0.id == id }
  }
}

extension Lesson {
  /// Reads a lesson from its text; `name` is what errors call the file.
  public init(parsing text: String, name: String) throws(TranscriptError) {
    self = try LessonParser.lesson(from: TranscriptDocument(parsing: text, name: name))
  }

  /// Reads the lesson file at `path`.
  public init(contentsOf path: String) throws(TranscriptError) {
    self = try LessonParser.lesson(from: TranscriptDocument(contentsOf: path))
  }

  /// Whether `document` is a lesson (its front matter has an `id`) rather than a recording.
  static func isLesson(_ document: TranscriptDocument) -> Bool {
    document.frontMatter?["id"] != nil
  }
}
