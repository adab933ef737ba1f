import AsyncScope
import LineEditor

/// What `verify` would start, listed for consent before it runs anything.
extension LessonVerifier {
  /// What a lesson file would run when verified, for consent: the programs of its steps
  /// and the solutions of its challenges that start processes, and what its example
  /// blocks would run.
  public static func concerns(in document: TranscriptDocument) -> [TranscriptTrust.Concern] {
    var concerns = TranscriptTrust.concerns(in: document)
    // Checked snippets start python3 or swiftc: each listed whole.
    for snippet in CheckedSnippet.all(in: document).snippets {
      concerns.append(
        TranscriptTrust.Concern(
          item: snippet.consentItem, place: "line \(snippet.line)", command: "verify",
          source: "the ```\(snippet.kind.rawValue) snippet"))
    }
    guard let lesson = try? LessonParser.lesson(from: document) else { return concerns }
    var seen = Set(concerns.map(\.item))
    for (index, step) in lesson.steps.enumerated() {
      let lines = Self.stepLines(index, of: lesson)
      var programs: [(String, String, Int)] = []
      if let program = step.program {
        programs.append((program, "the program of step \(index + 1)", step.lineNumber))
      }
      if case .challenge(let challenge)? = step.exercise, let solution = challenge.solution {
        let line = Self.keyLine("solution", in: lines, of: document) ?? step.lineNumber
        programs.append((solution, "the solution of step \(index + 1)", line))
      }
      // Real code: the starter runs (and `check` grades it), and so does the solution.
      for (code, role) in [(step.starter, "starter"), (step.solution, "solution")] {
        guard let code else { continue }
        let item = Consent.Item.code(language: code.language, source: code.text)
        guard seen.insert(item).inserted else { continue }
        concerns.append(
          TranscriptTrust.Concern(
            item: item, place: "line \(code.line)", command: "verify",
            source: "the \(code.language.rawValue) \(role) of step \(index + 1)"))
      }
      for (program, source, line) in programs {
        guard let parsed = try? Program(parsing: program), ProgramWalker.startsProcesses(parsed),
          seen.insert(.run(program)).inserted
        else { continue }
        concerns.append(
          TranscriptTrust.Concern(
            item: .run(program), place: "line \(line)", command: "verify", source: source))
      }
    }
    return concerns
  }
}
