import ArgumentParser
import LineEditor
import PosixThread
import ScopeLab

/// `scopelab`: the REPL (the default subcommand), and the other subcommands.
@main
struct ScopeLabCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scopelab",
    abstract: "An interactive teaching REPL for async scopes - Swift's `async with`.",
    // Written out on lines that fit 80 columns (ArgumentParser never wraps the usage):
    // the REPL's options are those of its subcommand, which `scopelab` alone runs.
    usage: """
      scopelab [--lesson <lesson>] [--record <file> [--force]]
               [--color <color>]
      scopelab <subcommand> [--color <color>] ...
      """,
    // One line per paragraph: ArgumentParser wraps it to the terminal's width.
    discussion: """
      Run with no subcommand for the REPL: --lesson opens it at a lesson, --record FILE \
      records the session as a transcript ('scopelab repl --help'). Lessons run real async \
      scopes: real task cancellation, real deadlines, real child processes, with their \
      trace printed live.
      """,
    version: ScopeLabVersion.current,
    subcommands: [
      ReplCommand.self, RunSubcommand.self, TraceSubcommand.self, CheckSubcommand.self,
      LessonsSubcommand.self,
      ReplaySubcommand.self,
      CompareSubcommand.self, VerifySubcommand.self,
    ],
    defaultSubcommand: ReplCommand.self
  )

  @OptionGroup var color: ColorOptions

  /// Parses and runs, with DESIGN.md's exit status 2 for every kind of invalid input
  /// (ArgumentParser's own is 64).
  static func main() async {
    LastResort.install()
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
      // The message may quote an argument: its control characters are shown escaped.
      let message = fullMessage(for: error).controlCharactersEscapedButLineBreaks
      StandardOutput(.error).write(message + "\n")
      Syscall.exit(2)
    }
  }
}
