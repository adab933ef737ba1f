import AsyncScope

/// A step's `set:` settings, and its program checked against the lesson's parameters.
extension LessonParser {
  /// `sleep=3s, timeout=2s`: names and durations; `known` (a step's `set:`) limits the
  /// names to the lesson's parameters.
  static func settings(_ text: String, known: Parameters?) throws(PatternError) -> [Lesson.Setting]
  {
    var settings: [Lesson.Setting] = []
    for item in Assignment.items(text) {
      guard let (name, value) = Assignment(item).map({ ($0.trimmed.name, $0.trimmed.value) }) else {
        throw PatternError(message: "'\(item.echoedForError)' is not name=value")
      }
      guard isID(name), name.first?.isLetter == true else {
        throw PatternError(message: "'\(name.echoedForError)' is not a parameter name")
      }
      if let known, known.entries[name] == nil {
        let hint = Suggestion.nearest(to: name, in: known.order).map { " - did you mean '\($0)'?" }
        throw PatternError(
          message: "this lesson has no parameter '\(name.echoedForError)'\(hint ?? "")")
      }
      do {
        var probe = known ?? Parameters.builtIn
        if probe.entries[name] == nil {
          probe.declare(name, default: UserDuration(.zero), summary: "")
        }
        try probe.set(name, to: value)
        settings.append(.init(name: name, value: try probe.value(name)))
      } catch {
        throw PatternError(message: "\(error)")
      }
    }
    return settings
  }

  static func check(
    _ source: String, line: Int, parameters: Parameters, in file: String
  ) throws(TranscriptError) {
    do {
      _ = try Program(parsing: source, checkedAgainst: parameters)
    } catch {
      throw TranscriptError(
        file: file, line: line + error.line - 1,
        message: "the program does not run: \(error.message)")
    }
  }
}
