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
                   [--perfetto <file.json> [--force]]
                   [--emit <swift|python>] [--color <color>]
      """,
    discussion: """
      \(parametersHelp)

      Exit status: 0 the outcome is ok; 1 the program ended with an error \
      (TimeoutError included); 2 invalid input; 130 interrupted by Ctrl-C.

      --perfetto FILE.json also writes the run as Chrome trace-event JSON for \
      ui.perfetto.dev or chrome://tracing: one process for the run, a track per task \
      (each task scope of a group; everything else on the main track), a slice per scope \
      named with what left it, instants for fired, print, output and signals; times in \
      microseconds.

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

  @OptionGroup var traceOutput: TraceOutputOptions

  @Option(
    help: ArgumentHelp(
      "Print the program as Swift (plain Swift on AsyncScope) or Python and run nothing.",
      valueName: "swift|python"))
  var emit: CodeLanguage?

  @OptionGroup var perfetto: PerfettoOptions

  @OptionGroup var color: ColorOptions

  func validate() throws {
    _ = try color.choice()
    if perfetto.file != nil, emit != nil {
      throw ValidationError("--perfetto writes a run; --emit runs nothing")
    }
    try perfetto.check()
  }

  func run() async throws {
    let output = StandardOutput(.output)
    var core = RunCommandCore(
      source: program,
      settings: parameters.settings,
      format: traceOutput.traceFormat,
      timeline: traceOutput.timeline,
      width: traceOutput.timelineWidth,
      palette: try color.palette(isTerminal: output.isTerminal)
    )
    core.emit = emit
    core.perfetto = perfetto.file
    core.force = perfetto.force
    let controller = RunController.quittingOnThirdPress()
    let status = await RunSignals.handling(controller, output: output) {
      await core.run(output: output, errors: StandardOutput(.error), controller: controller)
    }
    throw ExitCode(status)
  }
}

extension TraceFormat: ExpressibleByArgument {}
extension CodeLanguage: ExpressibleByArgument {}
