import AsyncScope
import LineEditor
import Subprocess

#if canImport(System)
  import System
#else
  import SystemPackage
#endif

/// `edit`: the current program in the learner's own editor.
extension Session {
  func edit(_ language: CodeLanguage?) async -> CommandResult {
    // Bare `edit` of real code edits it as the real code it is.
    if let language = language ?? current?.language {
      return await editCode(language)
    }
    if let refused = refusal(withoutConsentTo: .edit) { return refused }
    let original = currentProgram ?? lastProgram ?? ""
    let edited: String
    switch await editText(original, suffix: ".scope", noun: "program") {
    case .failure(let failure): return failure.result
    case .success(let text): edited = text
    }
    guard edited != original.trimmingSpaces() else {
      output.write("(unchanged)\n")
      return .done
    }
    editedProgram = (CurrentProgram.scope(edited), lessons.position)
    output.write(
      "The program 'run' runs now:\n" + TextLayout.indented(edited) + "\n")
    do {
      _ = try Program(parsing: edited, checkedAgainst: parameters)
    } catch {
      writeProgramError(error)
      say("(fix it with 'edit' again: your text is kept)\n")
      return .invalid
    }
    return .done
  }

  /// What `original` became in the learner's editor (`$VISUAL`, `$EDITOR`, else `vi`),
  /// opened on a temporary file ending in `suffix`: the text saved, without the blank
  /// lines around it. Fails, saying why, when there is no terminal, the editor does not
  /// start or ends with an error, or the text saved is empty (`noun` names it).
  func editText(_ original: String, suffix: String, noun: String) async
    -> Result<String, EditFailure>
  {
    guard editorHasTerminal() else {
      return .failure(
        EditFailure(
          fail("edit needs a terminal for the editor; here, give the program to 'run' instead")))
    }
    // The editor, and where it came from for the error if it cannot start.
    let (setting, source) =
      ["VISUAL", "EDITOR"].lazy.compactMap { name in self.environment(name).map { ($0, name) } }
      .first ?? ("vi", "the default")
    let command = setting.split(whereSeparator: \.isWhitespace).map(String.init)
    guard let editor = command.first else {
      return .failure(
        EditFailure(
          fail("VISUAL and EDITOR are empty: set one to your editor (export EDITOR=nano)")))
    }
    let file: RegularFile.Output
    do {
      file = try RegularFile.createTemporary("scopelab-edit", suffix: suffix)
    } catch {
      return .failure(EditFailure(fail("edit: cannot create a file in /tmp: \(error)")))
    }
    let path = file.path
    defer { RegularFile.remove(path) }
    let problem = file.write(original.isEmpty ? "" : original + "\n")
    file.close()
    if let problem { return .failure(EditFailure(fail("edit: cannot write \(path): \(problem)"))) }
    let executable: Executable =
      editor.contains("/") ? .path(FilePath(editor)) : .name(editor)
    do {
      let result = try await Subprocess.run(
        executable, arguments: Arguments(Array(command.dropFirst()) + [path]),
        input: .fileDescriptor(.standardInput, closeAfterSpawningProcess: false),
        output: .fileDescriptor(.standardOutput, closeAfterSpawningProcess: false),
        error: .fileDescriptor(.standardError, closeAfterSpawningProcess: false))
      guard case .exited(0) = result.terminationStatus else {
        return .failure(
          EditFailure(
            fail(
              "the editor '\(editor.echoed(limit: 40))' ended with \(result.terminationStatus): "
                + "the \(noun) is unchanged")))
      }
    } catch {
      return .failure(
        EditFailure(
          fail(
            "cannot start the editor '\(editor.echoed(limit: 40))' (from \(source)): "
              + "set VISUAL or EDITOR to your editor")))
    }
    let text: String
    do {
      text = String(
        decoding: try RegularFile.read(path, limit: RegularFile.textLimit, noun: "a \(noun)"),
        as: UTF8.self
      )
      .trimmingSpaces()
    } catch {
      return .failure(EditFailure(fail("edit: cannot read the edited file back: \(error)")))
    }
    guard !text.isEmpty else {
      return .failure(EditFailure(fail("the edited \(noun) is empty: nothing changed")))
    }
    return .success(text)
  }

  /// Why `edit` changed nothing: the command's result, its error already written.
  struct EditFailure: Error {
    let result: CommandResult
    init(_ result: CommandResult) { self.result = result }
  }

  /// Whether standard input and output are both terminals.
  static func standardStreamsAreTerminal() -> Bool {
    Terminal.isTerminal(0) && Terminal.isTerminal(1)
  }
}
