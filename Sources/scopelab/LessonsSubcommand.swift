import ArgumentParser
import ScopeLab

/// `scopelab lessons`: lists the built-in lessons, with the learner's progress.
struct LessonsSubcommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lessons", abstract: "List the lessons, with your progress.")

  func run() throws {
    let store: any ProgressStore = ProgressFile.standard() ?? MemoryProgressStore()
    var guide = LessonGuide(store: store)
    if let warning = guide.warning { StandardOutput(.error).write(warning + "\n") }
    var parameters = Parameters.builtIn
    if case .shown(let text) = guide.perform(.list, parameters: &parameters) {
      StandardOutput(.output).write(text)
    }
  }
}
