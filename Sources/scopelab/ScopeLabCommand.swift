import ArgumentParser
import AsyncScope
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
    // Written out on two lines to fit 80 columns: ArgumentParser never wraps the usage.
    usage: """
      scopelab [--lesson <lesson>] [--record <file> [--force]]
               [--color <color>] <subcommand>
      """,
    // One line per paragraph: ArgumentParser wraps it to the terminal's width.
    discussion: """
      Run with no arguments for the REPL. Lessons run real async scopes: real task \
      cancellation, real deadlines, real child processes, with their trace printed live.
      """,
    version: ScopeLabVersion.current,
    subcommands: [
      RunSubcommand.self, LessonsSubcommand.self, ReplaySubcommand.self, CompareSubcommand.self,
      VerifySubcommand.self,
    ]
  )

  @Option(help: "Open the REPL at this lesson.")
  var lesson: String?

  @Option(
    help: ArgumentHelp(
      "Record the session as a transcript, from the first command.", valueName: "file"))
  var record: String?

  @OptionGroup var overwrite: ForceOption
  var force: Bool { overwrite.force }

  @OptionGroup var color: ColorOptions

  func validate() throws {
    // The root decodes its options from the whole command line: `replay ... --force`
    // is the subcommand's (with --asciicast), checked there.
    let arguments = Array(CommandLine.arguments.dropFirst())
    if force, record == nil, Self.subcommand(in: arguments) == nil {
      throw ValidationError("--force goes with --record FILE")
    }
  }

  func run() async throws {
    let repl = Repl(lesson: lesson, record: record, force: force, color: color.color)
    throw ExitCode(await repl.run())
  }

  /// Parses and runs, with DESIGN.md's exit status 2 for every kind of invalid input
  /// (ArgumentParser's own is 64).
  static func main() async {
    // Orphans among our descendants (a grandchild that called setsid, then lost its
    // parent) become our children, so the exits can find and kill them (LastResort).
    ProcessOrphans.becomeReaper()
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
        let arguments = Array(CommandLine.arguments.dropFirst())
        // The message may quote an argument: its control characters are shown escaped.
        let message = usageError(error, arguments: arguments)
        StandardOutput(.error).write(message.controlCharactersEscapedButLineBreaks + "\n")
        Glibc.exit(2)
      }
      exit(withError: error)
    }
  }

  /// The message for an invalid command line, ending with the usage of the subcommand
  /// the arguments name (`scopelab run ... --color bogus`: `run`'s usage).
  ///
  /// ArgumentParser decodes the root's own options from the whole command line before
  /// it looks at a subcommand, and `--color` is one of them: a bad `--color` value after
  /// `run` fails while the root is parsed, so the error carries the root's usage. An
  /// error found in the subcommand already carries the subcommand's and is left alone.
  static func usageError(_ error: any Error, arguments: [String]) -> String {
    let message = fullMessage(for: error)
    // The root's usage from its first line on (the message indents the lines after it).
    let rootFirstLine = usageString().split(separator: "\n").first.map(String.init) ?? ""
    guard let subcommand = subcommand(in: arguments),
      let rootUsage = message.firstRange(of: "Usage: \(rootFirstLine)")
    else { return message }
    let usage = usageString(for: subcommand).split(
      separator: "\n", omittingEmptySubsequences: false
    )
    .joined(separator: "\n       ")
    let name = subcommand.configuration.commandName ?? ""
    return message[..<rootUsage.lowerBound]
      + "Usage: \(usage)\n  See 'scopelab \(name) --help' for more information."
  }

  /// The subcommand `arguments` name, found as ArgumentParser finds it: the first
  /// argument that is not one of the root's options or an option's value.
  static func subcommand(in arguments: [String]) -> (any ParsableCommand.Type)? {
    // The root's options that take a value (`--lesson NAME`, `--record FILE`, `--color WHEN`).
    let optionsWithValues: Set = ["--lesson", "--record", "--color"]
    var rest = arguments[...]
    while let argument = rest.popFirst() {
      if argument == "--" { return nil }
      guard argument.hasPrefix("-") else {
        return configuration.subcommands.first { $0.configuration.commandName == argument }
      }
      if optionsWithValues.contains(argument) { _ = rest.popFirst() }
    }
    return nil
  }
}

/// The version `--version` prints.
enum ScopeLabVersion {
  static let current = "0.1.0"
}

/// `--force`, the root's (with `--record`) and `replay`'s (with `--asciicast`): one group
/// in both, as the root decodes its options from the whole command line.
struct ForceOption: ParsableArguments {
  @Flag(help: "Overwrite the file named by --record (or replay's --asciicast) if it exists.")
  var force = false
}
