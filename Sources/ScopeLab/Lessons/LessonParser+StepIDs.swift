/// Step ids: a heading made into one, and ids made unique within a lesson.
extension LessonParser {
  /// A heading as a step id: lowercase letters and digits, every other run of characters
  /// one `-` (`## Make it time out!` -> `make-it-time-out`); `step` when nothing is left.
  static func slug(_ title: String) -> String {
    var slug = ""
    for character in title.lowercased() {
      if character.isASCII, character.isLetter || character.isNumber {
        slug.append(character)
      } else if !slug.isEmpty, slug.last != "-" {
        slug.append("-")
      }
    }
    while slug.last == "-" { slug.removeLast() }
    return slug.isEmpty ? "step" : slug
  }

  /// The steps with ids that tell them apart: a slug two headings share gets `-2`, `-3`
  /// after its first; an `id:` given twice is an error.
  static func withUniqueIDs(
    _ steps: [LessonStep], in document: TranscriptDocument
  ) throws(TranscriptError) -> [LessonStep] {
    var taken: Set<String> = []
    var result: [LessonStep] = []
    for step in steps {
      var id = step.id
      var number = 2
      while taken.contains(id) {
        if step.hasExplicitID {
          throw TranscriptError(
            file: document.name, line: step.lineNumber,
            message: "step id '\(step.id)' is taken by an earlier step: ids tell steps apart")
        }
        id = "\(step.id)-\(number)"
        number += 1
      }
      taken.insert(id)
      result.append(step.with(id: id))
    }
    return result
  }
}
