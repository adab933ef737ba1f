/// A step's real code: its starter, its solution and what grades it.
extension LessonParser {
  /// A step's real code: a solution goes with a starter in its language, and `check:`
  /// (`timeout NAME` or `scope NAME`) grades real code. The check, if given.
  static func realCode(
    starter: StepCode?, solution: StepCode?, meta: [(key: String, value: String, line: Int)],
    in file: String
  ) throws(TranscriptError) -> StepCheck? {
    func fail(_ line: Int, _ message: String) -> TranscriptError {
      TranscriptError(file: file, line: line, message: message)
    }
    if let solution {
      let info = "\(solution.language.rawValue) starter"
      guard let starter else {
        throw fail(solution.line, "a ```\(solution.language.rawValue) solution needs a ```\(info)")
      }
      guard starter.language == solution.language else {
        throw fail(
          solution.line,
          "the solution is \(solution.language.displayName) but the starter (line \(starter.line))"
            + " is \(starter.language.displayName)")
      }
    }
    guard let item = meta.first(where: { $0.key == "check" }) else { return nil }
    guard let check = StepCheck(parsing: item.value) else {
      throw fail(
        item.line,
        "check takes a kind and the scope's name: 'check: timeout Timeout' or 'check: scope Name'")
    }
    guard starter != nil else {
      throw fail(
        item.line, "'check' grades real code: the step needs a ```python starter (or swift)")
    }
    return check
  }
}
