import AsyncScope
import LineEditor

/// `verify` of a step with real code and `check:`: its solution passes `check` and its
/// starter does not, as a challenge's solution must solve it and the step's own program
/// must not.
extension LessonVerifier {
  static func realCodeProblems(_ lesson: Lesson, consent: Consent) async -> [Problem] {
    var problems: [Problem] = []
    for (index, step) in lesson.steps.enumerated() {
      guard let starter = step.starter, let check = step.check else { continue }
      func problem(_ line: Int, _ message: String, note: Bool = false) -> Problem {
        var found = Problem(file: lesson.source, line: line, message: message)
        found.isNote = note
        return found
      }
      let isChallenge = if case .challenge? = step.exercise { true } else { false }
      guard isChallenge else { continue }
      let stepLine =
        keyLine("check", in: stepLines(index, of: lesson), of: lesson.document) ?? step.lineNumber
      guard let solution = step.solution else {
        problems.append(
          problem(
            stepLine,
            "the challenge has no ```\(starter.language.rawValue) solution to show 'check' passes"))
        continue
      }
      let notAgreed = "not run: it runs code, and that was not agreed to"
      for (code, role) in [(solution, "solution"), (starter, "starter")] {
        guard consent.allows(.code(language: code.language, source: code.text)) else {
          problems.append(problem(code.line, notAgreed))
          continue
        }
        let (status, said) = await graded(code, check: check)
        switch (role, status) {
        case ("solution", 0), ("starter", 1): break
        case ("solution", 1):
          problems.append(
            problem(
              code.line, "the solution does not pass 'check: \(check.kind.rawValue) \(check.scope)'"
            ))
        case ("starter", 0):
          problems.append(
            problem(code.line, "the step's starter already passes its check: nothing to solve"))
        case (_, 2) where code.language == .swift && said.contains("not supported yet"):
          problems.append(
            problem(
              code.line,
              "the Swift \(role) is not checked: 'check' does not grade Swift yet", note: true))
        default:
          let reason = said.split(separator: "\n").last.map(String.init) ?? "exit status \(status)"
          problems.append(problem(code.line, "the \(role) cannot be checked: \(reason)"))
        }
      }
    }
    return problems
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
