import ArgumentParser
import ScopeLab

/// `scopelab lessons`: lists the built-in lessons, with the learner's progress.
struct LessonsSubcommand: ParsableCommand, ColorCommand {
  static let configuration = CommandConfiguration(
    commandName: "lessons", abstract: "List the lessons, with your progress.")

  // The root takes --color anywhere; the list has no colour.
  @OptionGroup(visibility: .hidden) var color: ColorOptions

  func run() {
    LessonsListing.write(to: StandardOutput(.output), errors: StandardOutput(.error))
  }
}
