import ArgumentParser
import ScopeLab

/// `scopelab lessons`: lists the built-in lessons (none yet).
struct LessonsSubcommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lessons", abstract: "List the lessons.")

  func run() throws {
    print("no lessons yet")
  }
}
