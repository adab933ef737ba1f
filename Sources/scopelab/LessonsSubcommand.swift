import ArgumentParser
import ScopeLab

/// `scopelab lessons`: lists the built-in lessons, with the learner's progress.
struct LessonsSubcommand: ParsableCommand, ColorCommand {
  static let configuration = CommandConfiguration(
    commandName: "lessons", abstract: "List the lessons, with your progress.")

  // The root takes --color anywhere; the list has no colour.
  @OptionGroup(visibility: .hidden) var color: ColorOptions

  func run() throws {
    let store: any ProgressStore = ProgressFile.standard() ?? MemoryProgressStore()
    var guide = LessonGuide(store: store)
    if let warning = guide.warning { StandardOutput(.error).write(warning + "\n") }
    var parameters = Parameters.builtIn
    if case .shown(let text) = guide.perform(.list, parameters: &parameters) {
      // The list's last line says what to type in the REPL; here it is a command line.
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      if lines.last == "" { lines.removeLast() }
      if lines.last?.hasPrefix("'lesson N'") == true { lines.removeLast() }
      StandardOutput(.output).write(
        lines.joined(separator: "\n")
          + "\n'scopelab --lesson NAME' starts the REPL at a lesson, where you left off.\n")
    }
  }
}
