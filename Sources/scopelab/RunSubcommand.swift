public import ArgumentParser
import AsyncScope
import ScopeLab

/// `scopelab run PROGRAM`: runs one scope program with its live trace.
struct RunSubcommand: AsyncParsableCommand, ColorCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a scope program and print its trace live.",
    // The usage is written out on two lines: ArgumentParser never wraps it (a test
    // checks that it names every option). Each paragraph of the discussion is one line
    // (joined with `\`), which ArgumentParser wraps to the terminal's width.
    usage: """
      scopelab run <program> [--set <NAME=VALUE> ...]
                   [--trace-format <format>] [--timeline]
                   [--emit <swift|python>] [--color <color>]
      """,
    discussion: """
      \(parametersHelp)

      Exit status: 0 the outcome is ok; 1 the program ended with an error \
      (TimeoutError included); 2 invalid input; 130 interrupted by Ctrl-C.

      Example:

        scopelab run 'timeout $timeout { sleep $sleep; print done }; print after' \\
          --set sleep=3
      """
  )

  /// The built-in parameters with their defaults, and the duration forms.
  static var parametersHelp: String {
    let parameters = Parameters.builtIn
    let list = parameters.order.compactMap { name in
      parameters.entries[name].map { "\(name) = \($0.defaultValue) (\($0.summary))" }
    }
    return
      "Parameters for --set: \(list.joined(separator: ", ")). Durations: \(UserDuration.forms)."
  }

  @Argument(help: "The program, e.g. 'timeout 2 { sleep 1; print done }'.")
  var program: String

  @OptionGroup var parameters: SettingOptions

  @Option(help: ArgumentHelp("How to print the trace.", valueName: "format"))
  var traceFormat: TraceFormat = .text

  @Flag(help: "Draw the timeline after the run.")
  var timeline = false

  @Option(
    help: ArgumentHelp(
      "Print the program as Swift (plain Swift on AsyncScope) or Python and run nothing.",
      valueName: "swift|python"))
  var emit: CodeLanguage?

  @OptionGroup var color: ColorOptions

  func run() async throws {
    let output = StandardOutput(.output)
    var core = RunCommandCore(
      source: program,
      settings: parameters.settings,
      format: traceFormat,
      timeline: timeline,
      // With JSONL on standard output the picture goes to standard error.
      width: TimelineWidth.of(traceFormat == .jsonl ? 2 : 1),
      palette: try color.palette(isTerminal: output.isTerminal)
    )
    core.emit = emit
    let controller = RunController.quittingOnThirdPress()
    let status = await RunSignals.handling(controller, output: output) {
      await core.run(output: output, errors: StandardOutput(.error), controller: controller)
    }
    throw ExitCode(status)
  }
}

extension TraceFormat: ExpressibleByArgument {}
extension CodeLanguage: ExpressibleByArgument {}
