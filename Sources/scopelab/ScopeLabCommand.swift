import ArgumentParser
import ScopeLab

#if canImport(Glibc)
  import Glibc
#endif

/// `scopelab`: the interactive REPL, and its subcommands.
@main
struct ScopeLabCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scopelab",
    abstract: "An interactive teaching REPL for async scopes - Swift's `async with`.",
    discussion: """
      Run with no arguments for the REPL. Lessons run real async scopes: real task
      cancellation, real deadlines, real child processes, with their trace printed live.
      """,
    version: ScopeLabVersion.current,
    subcommands: [RunSubcommand.self, LessonsSubcommand.self, ReplaySubcommand.self]
  )

  @Option(help: "Open the REPL at this lesson.")
  var lesson: String?

  @OptionGroup var color: ColorOptions

  func run() async throws {
    throw ExitCode(await Repl(lesson: lesson, color: color.color).run())
  }

  /// Parses and runs, with DESIGN.md's exit status 2 for every kind of invalid input
  /// (ArgumentParser's own is 64).
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        StandardOutput(.error).write(fullMessage(for: error) + "\n")
        Glibc.exit(2)
      }
      exit(withError: error)
    }
  }
}

/// The version `--version` prints.
enum ScopeLabVersion {
  static let current = "0.1.0"
}
