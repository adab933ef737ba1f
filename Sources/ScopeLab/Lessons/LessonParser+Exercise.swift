import AsyncScope

/// A step's exercise from its ```` ```step ```` block: a prediction, or a challenge with
/// what it checks (outcome, events, order, time windows) and its solution.
extension LessonParser {
  static func exercise(
    _ meta: [(key: String, value: String, line: Int)], program: String?, parameters: Parameters,
    in file: String, line: Int, check: StepCheck? = nil
  ) throws(TranscriptError) -> Exercise? {
    func fail(_ line: Int, _ message: String) -> TranscriptError {
      TranscriptError(file: file, line: line, message: message)
    }
    let value = { (key: String) in meta.first { $0.key == key } }
    let challengeKeys = ["outcome", "has", "lacks", "before", "time", "solution"]
    if let predict = value("predict") {
      if let other = meta.first(where: { challengeKeys.contains($0.key) || $0.key == "challenge" })
      {
        throw fail(other.line, "'\(other.key)' belongs to a challenge; this step is a prediction")
      }
      guard program != nil else {
        throw fail(predict.line, "a prediction needs the step's ```scope program to run")
      }
      guard isOutcomeName(predict.value) else {
        throw fail(
          predict.line, "predict takes an outcome: ok, an error name or KeyboardInterrupt")
      }
      return .predict(answer: predict.value, look: value("look")?.value)
    }
    if let look = value("look") {
      throw fail(look.line, "'look' goes with 'predict'")
    }
    guard let goal = value("challenge") else {
      if let stray = meta.first(where: { challengeKeys.contains($0.key) }) {
        throw fail(stray.line, "'\(stray.key)' needs a 'challenge: GOAL' line in the same block")
      }
      return nil
    }
    var challenge = Challenge(goal: goal.value)
    for item in meta {
      do throws(PatternError) {
        switch item.key {
        case "outcome":
          guard isOutcomeName(item.value) else {
            throw PatternError(message: "an outcome is ok, an error name or KeyboardInterrupt")
          }
          challenge.outcome = item.value
        case "has": challenge.has.append(try EventPattern(parsing: item.value))
        case "lacks": challenge.lacks.append(try EventPattern(parsing: item.value))
        case "before":
          let parts = item.value.split(separator: ",", maxSplits: 1).map(String.init)
          guard parts.count == 2 else {
            throw PatternError(message: "before takes two events: 'before: print a, print b'")
          }
          challenge.before.append(
            Challenge.Order(
              try EventPattern(parsing: parts[0]), try EventPattern(parsing: parts[1])))
        case "time":
          challenge.times.append(try timeRequirement(item.value))
        case "solution":
          challenge.solution = item.value
        default:
          break
        }
      } catch {
        throw fail(item.line, "\(item.key): \(error.message)")
      }
    }
    if check != nil {
      // Solved by `check` on the learner's code, not by a run's trace.
      if let other = meta.first(where: { challengeKeys.contains($0.key) }) {
        throw fail(
          other.line,
          "'\(other.key)' does not apply: a challenge with 'check' is solved when 'check' passes"
            + " (its solution is a ```python solution block)")
      }
      return .challenge(challenge)
    }
    if let solution = meta.first(where: { $0.key == "solution" }) {
      try self.check(solution.value, line: solution.line, parameters: parameters, in: file)
    }
    guard !challenge.isEmpty else {
      throw fail(
        goal.line, "a challenge needs something to check: outcome, has, lacks, before or time")
    }
    return .challenge(challenge)
  }

  /// `fired timeout 1.9s..2.3s`: a pattern, then a window of two durations.
  private static func timeRequirement(_ text: String) throws(PatternError) -> Challenge.Window {
    let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
    guard let window = words.last, words.count >= 2 else {
      throw PatternError(
        message: "time takes an event and a window: 'time: fired timeout 1.9s..2.3s'")
    }
    let parts = Self.splitRange(window)
    guard let parts, let low = try? UserDuration(parsing: parts.0).duration,
      let high = try? UserDuration(parsing: parts.1).duration, low <= high
    else {
      throw PatternError(message: "'\(window)' is not a window like 1.9s..2.3s")
    }
    return Challenge.Window(
      try EventPattern(parsing: words.dropLast().joined(separator: " ")), low...high)
  }

  /// `0.9s..1.2s` as its two sides.
  private static func splitRange(_ text: String) -> (String, String)? {
    let characters = Array(text)
    for index in characters.indices.dropLast()
    where characters[index] == "." && characters[index + 1] == "." {
      return (String(characters[..<index]), String(characters[(index + 2)...]))
    }
    return nil
  }
}
