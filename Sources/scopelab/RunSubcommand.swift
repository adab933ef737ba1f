public import ArgumentParser
import LineEditor
import ScopeLab

#if canImport(Glibc)
  import Glibc
#endif

/// `scopelab run PROGRAM`: runs one scope program with its live trace.
struct RunSubcommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a scope program and print its trace live.",
    discussion: """
      Exit status: 0 the outcome is ok; 1 the program ended with an error (TimeoutError
      included); 2 invalid input; 130 interrupted by Ctrl-C. Example:

        scopelab run 'timeout $timeout { sleep $sleep; print done }; print after' --set sleep=3
      """
  )

  @Argument(help: "The program, e.g. 'timeout 2 { sleep 1; print done }'.")
  var program: String

  @Option(name: .customLong("set"), help: ArgumentHelp("Set a parameter.", valueName: "NAME=VALUE"))
  var settings: [String] = []

  @Option(help: "text or jsonl.")
  var traceFormat: TraceFormat = .text

  @Flag(help: "Draw the timeline after the run.")
  var timeline = false

  @OptionGroup var color: ColorOptions

  func run() async throws {
    let output = StandardOutput(.output)
    let core = RunCommandCore(
      source: program,
      settings: settings,
      format: traceFormat,
      timeline: timeline,
      // With JSONL on standard output the picture goes to standard error.
      width: TimelineWidth.of(traceFormat == .jsonl ? 2 : 1),
      palette: color.palette(isTerminal: output.isTerminal)
    )
    let controller = RunController.quittingOnThirdPress()
    LastResort.install()
    _ = Interrupts.shared.install()
    let interrupts = Interrupts.shared.events()
    let listener = Task {
      for await _ in interrupts {
        // At a terminal the driver has echoed `^C`; end that line before the trace.
        if Terminal.isInteractive && output.isTerminal { output.write("\n") }
        controller.interrupt()
      }
    }
    let stopped = StopSignal(controller: controller)
    let status = await core.run(
      output: output, errors: StandardOutput(.error), controller: controller)
    stopped.stop()
    listener.cancel()
    // Like the REPL: a run ended by SIGTERM or SIGHUP exits 128 + the signal, not 130.
    throw ExitCode(stopped.signal.map { 128 + $0 } ?? status)
  }
}

extension TraceFormat: ExpressibleByArgument {}
extension ColorChoice: ExpressibleByArgument {}

/// `--color auto|always|never`.
struct ColorOptions: ParsableArguments {
  @Option(help: "auto, always or never.")
  var color: ColorChoice = .auto

  func palette(isTerminal: Bool) -> Palette {
    Palette.decide(choice: color, isTerminal: isTerminal, environment: currentEnvironment())
  }
}
