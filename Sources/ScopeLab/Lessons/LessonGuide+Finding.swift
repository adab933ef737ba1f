import AsyncScope

/// Finding a lesson by its number, its id or its file.
extension LessonGuide {
  /// Whether `lesson NAME` names a file rather than a lesson's id or number.
  static func namesFile(_ name: String) -> Bool {
    name.hasSuffix(".md") || name.contains("/")
  }

  mutating func find(_ name: String) -> Result<Lesson, PatternError> {
    if Self.namesFile(name) {
      do {
        let lesson = try Lesson(contentsOf: name)
        fromFiles[lesson.id] = lesson
        return .success(lesson)
      } catch {
        return .failure(PatternError(message: error.description))
      }
    }
    if let number = Int(name) {
      guard (1...max(1, catalog.lessons.count)).contains(number), !catalog.lessons.isEmpty else {
        return .failure(
          PatternError(
            message:
              "there are \(catalog.lessons.count) lessons: lesson 1 to \(catalog.lessons.count)"))
      }
      return .success(catalog.lessons[number - 1])
    }
    if let lesson = catalog.lesson(name) ?? fromFiles[name] { return .success(lesson) }
    // The nearest id, or the one id that starts with (or holds) what was typed.
    let containing = lessonIDs.filter { $0.hasPrefix(name) || $0.contains(name) }
    let near =
      Suggestion.nearest(to: name, in: lessonIDs) ?? (containing.count == 1 ? containing[0] : nil)
    let hint = near.map { " - did you mean '\($0)'?" }
    return .failure(
      PatternError(
        message: "no lesson '\(name.echoed(limit: 40))'\(hint ?? "") ('lessons' lists them)"))
  }
}
