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
  func edit() async -> CommandResult {
    if let refused = refusal(withoutConsentTo: .edit) { return refused }
    guard editorHasTerminal() else {
      return fail("edit needs a terminal for the editor; here, give the program to 'run' instead")
    }
    // The editor, and where it came from for the error if it cannot start.
    let (setting, source) =
      ["VISUAL", "EDITOR"].lazy.compactMap { name in self.environment(name).map { ($0, name) } }
      .first ?? ("vi", "the default")
    let command = setting.split(whereSeparator: \.isWhitespace).map(String.init)
    guard let editor = command.first else {
      return fail("VISUAL and EDITOR are empty: set one to your editor (export EDITOR=nano)")
    }
    let original = currentProgram ?? lastProgram ?? ""
    let file: RegularFile.Output
    do {
      file = try RegularFile.createTemporary("scopelab-edit", suffix: ".scope")
    } catch {
      return fail("edit: cannot create a file in /tmp: \(error)")
    }
    let path = file.path
    defer { RegularFile.remove(path) }
    let problem = file.write(original.isEmpty ? "" : original + "\n")
    file.close()
    if let problem { return fail("edit: cannot write \(path): \(problem)") }
    let executable: Executable =
      editor.contains("/") ? .path(FilePath(editor)) : .name(editor)
    do {
      let result = try await Subprocess.run(
        executable, arguments: Arguments(Array(command.dropFirst()) + [path]),
        input: .fileDescriptor(.standardInput, closeAfterSpawningProcess: false),
        output: .fileDescriptor(.standardOutput, closeAfterSpawningProcess: false),
        error: .fileDescriptor(.standardError, closeAfterSpawningProcess: false))
      guard case .exited(0) = result.terminationStatus else {
        return fail(
          "the editor '\(editor.echoed(limit: 40))' ended with \(result.terminationStatus): "
            + "the program is unchanged")
      }
    } catch {
      return fail(
        "cannot start the editor '\(editor.echoed(limit: 40))' (from \(source)): "
          + "set VISUAL or EDITOR to your editor"
      )
    }
    let text: String
    do {
      text = String(
        decoding: try RegularFile.read(path, limit: RegularFile.textLimit, noun: "a program"),
        as: UTF8.self
      )
      .trimmingSpaces()
    } catch {
      return fail("edit: cannot read the edited file back: \(error)")
    }
    guard !text.isEmpty else { return fail("the edited program is empty: nothing changed") }
    guard text != original.trimmingSpaces() else {
      output.write("(unchanged)\n")
      return .done
    }
    editedProgram = (text, lessons.position)
    output.write(
      "The program 'run' runs now:\n" + TextLayout.indented(text) + "\n")
    do {
      _ = try Program(parsing: text, checkedAgainst: parameters)
    } catch {
      writeProgramError(error)
      say("(fix it with 'edit' again: your text is kept)\n")
      return .invalid
    }
    return .done
  }

  /// Whether standard input and output are both terminals.
  static func standardStreamsAreTerminal() -> Bool {
    Terminal.isTerminal(0) && Terminal.isTerminal(1)
  }
}
