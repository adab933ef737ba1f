import ArgumentParser
import ScopeLab

/// `scopelab [repl]`: the interactive REPL.
struct ReplCommand: AsyncParsableCommand, ColorCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl",
    abstract: "The interactive REPL (what 'scopelab' with no subcommand runs).",
    usage: """
      scopelab [--lesson <lesson>] [--record <file> [--force]]
               [--color <color>]
      """)

  @Option(help: "Open the REPL at this lesson.")
  var lesson: String?

  @Option(
    help: ArgumentHelp(
      "Record the session as a transcript, from the first command.", valueName: "file"))
  var record: String?

  @OptionGroup var overwrite: ForceOption

  @OptionGroup var color: ColorOptions

  func validate() throws {
    _ = try color.choice()
    if overwrite.force, record == nil {
      throw ValidationError("--force goes with --record FILE")
    }
  }

  func run() async throws {
    var repl = Repl()
    repl.lesson = lesson
    repl.record = record
    repl.force = overwrite.force
    repl.color = try color.choice()
    throw ExitCode(await repl.run())
  }
}
