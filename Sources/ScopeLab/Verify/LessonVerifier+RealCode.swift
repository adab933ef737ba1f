import AsyncScope
import LineEditor

/// `verify` of a step with real code and `check:`: its solution passes `check` and its
/// starter does not, as a challenge's solution must solve it and the step's own program
/// must not.
extension LessonVerifier {
  /// Every step's, side by side: each `check` mostly waits on its rules' programs.
  static func realCodeProblems(_ lesson: Lesson, consent: Consent) async -> [Problem] {
    let steps = await withTaskGroup(of: (Int, [Problem]).self) { group in
      for index in lesson.steps.indices {
        group.addTask { (index, await realCodeProblems(lesson, step: index, consent: consent)) }
      }
      return await group.reduce(into: [(Int, [Problem])]()) { $0.append($1) }
    }
    return steps.sorted { $0.0 < $1.0 }.flatMap(\.1)
  }

  /// Step `index`'s: its solution and its starter checked side by side.
  private static func realCodeProblems(_ lesson: Lesson, step index: Int, consent: Consent) async
    -> [Problem]
  {
    let step = lesson.steps[index]
    guard let starter = step.starter, let check = step.check else { return [] }
    func problem(_ line: Int, _ message: String, note: Bool = false) -> Problem {
      var found = Problem(file: lesson.source, line: line, message: message)
      found.isNote = note
      return found
    }
    let isChallenge = if case .challenge? = step.exercise { true } else { false }
    guard isChallenge else { return [] }
    let stepLine =
      keyLine("check", in: stepLines(index, of: lesson), of: lesson.document) ?? step.lineNumber
    guard let solution = step.solution else {
      return [
        problem(
          stepLine,
          "the challenge has no ```\(starter.language.rawValue) solution to show 'check' passes")
      ]
    }
    let notAgreed = "not run: it runs code, and that was not agreed to"
    func problems(_ code: StepCode, _ role: String) async -> [Problem] {
      guard consent.allows(.code(language: code.language, source: code.text)) else {
        return [problem(code.line, notAgreed)]
      }
      let (status, said) = await graded(code, check: check)
      switch (role, status) {
      case ("solution", 0), ("starter", 1): return []
      case ("solution", 1):
        return [
          problem(
            code.line, "the solution does not pass 'check: \(check.kind.rawValue) \(check.scope)'")
        ]
      case ("starter", 0):
        return [
          problem(code.line, "the step's starter already passes its check: nothing to solve")
        ]
      case (_, 2) where code.language == .swift && said.contains("not supported yet"):
        return [
          problem(
            code.line,
            "the Swift \(role) is not checked: 'check' does not grade Swift yet", note: true)
        ]
      default:
        let reason = said.split(separator: "\n").last.map(String.init) ?? "exit status \(status)"
        return [problem(code.line, "the \(role) cannot be checked: \(reason)")]
      }
    }
    async let solved = problems(solution, "solution")
    async let started = problems(starter, "starter")
    return await solved + started
  }

  /// `check` of `code` (written to a temporary folder): its exit status, and what it said
  /// on standard error.
  private static func graded(_ code: StepCode, check: StepCheck) async -> (Int32, String) {
    let path: String
    switch code.temporaryFile(named: "lesson_code") {
    case .failure(let problem): return (2, problem.description)
    case .success(let (written, remove)):
      path = written
      defer { remove() }
      return await graded(path, check: check)
    }
  }

  private static func graded(_ path: String, check: StepCheck) async -> (Int32, String) {
    let output = CapturedOutput()
    let errors = CapturedOutput()
    let status = await CheckCommandCore(file: path, scope: check.scope, kind: check.kind).run(
      output: output, errors: errors)
    return (status, errors.text)
  }
}
