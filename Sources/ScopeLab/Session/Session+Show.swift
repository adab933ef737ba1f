import AsyncScope

/// `show swift`, `show python` and `show source SCOPE`: the program as real code, and the
/// library's own enter and exit.
extension Session {
  /// Handles `show` when it asks for code; `nil` leaves `show` to the lessons.
  func showCode(_ rest: String) -> CommandResult? {
    let words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
    guard let first = words.first else { return nil }
    if first == "source" {
      guard words.count == 2 else {
        return fail(
          "usage: show source SCOPE (one of: \(LibrarySource.scopes.joined(separator: ", ")))")
      }
      guard let text = LibrarySource.text(for: words[1]) else {
        return fail(
          "no built-in scope '\(words[1].echoed())' - show source takes one of: "
            + LibrarySource.scopes.joined(separator: ", "))
      }
      emit(text.hasSuffix("\n") ? text : text + "\n")
      return .done
    }
    guard let language = CodeLanguage(rawValue: first) else { return nil }
    guard words.count == 1 else { return fail("'show \(first)' takes no arguments") }
    // The program a bare `run` runs (the step's, or the one `edit` gave), else the last run.
    guard let source = currentProgram ?? lastProgram else {
      return fail("no program to show: open a lesson, or run one first (run timeout 2 { sleep 1 })")
    }
    do {
      let program = try Program(parsing: source, checkedAgainst: parameters)
      emit(language.render(program, parameters: parameters))
      return .done
    } catch {
      writeProgramError(error)
      return .invalid
    }
  }
}
