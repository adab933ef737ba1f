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

/// `scopelab replay FILE`: not available until transcripts land.
struct ReplaySubcommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay", abstract: "Replay a transcript (not available yet).")

  @Argument(help: "The transcript file.")
  var file: String

  @Option(help: "Speed factor for live replay.")
  var speed: Double?

  @Flag(help: "Compare the output with the transcript.")
  var check = false

  @Flag(help: "Rewrite lines that no longer match.")
  var bless = false

  @Flag(help: "Run the transcript's processes without asking.")
  var trust = false

  func run() throws {
    StandardOutput(.error).write("error: replay is not available yet\n")
    throw ExitCode(2)
  }
}
