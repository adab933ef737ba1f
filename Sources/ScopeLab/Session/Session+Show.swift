import AsyncScope

/// `show swift`, `show python` and `show source SCOPE`: the program as real code, and the
/// library's own enter and exit.
extension Session {
  /// `show source SCOPE`: the library's own enter and exit of a built-in scope.
  func showSource(_ scope: String) -> CommandResult {
    let text = LibrarySource.text(for: scope) ?? ""
    emit(text.hasSuffix("\n") ? text : text + "\n")
    return .done
  }

  /// `show swift`, `show python`: the program a bare `run` runs, as code.
  func showCode(_ language: CodeLanguage) -> CommandResult {
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
