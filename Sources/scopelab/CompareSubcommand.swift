import ArgumentParser
import ScopeLab

/// `scopelab compare PROGRAM`: the program in scopelab and in CPython asyncio, side by side.
struct CompareSubcommand: AsyncParsableCommand, ColorCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Run a program in scopelab and as Python asyncio; show both traces.",
    usage: """
      scopelab compare <program> [--set <NAME=VALUE> ...] [--python <path>]
      """,
    discussion: """
      Runs the program here (its trace is recorded, not printed), then its traced Python \
      view under CPython 3.11 or newer, and prints the two traces side by side. The first \
      place they differ is marked with >>; the known differences that explain it are named. \
      Times do not count, only the order of events, their ids, errors and the outcome.

      Exit status: 0 the traces agree; 1 they differ; 2 invalid input or no usable Python; \
      130 interrupted by Ctrl-C (both runs are stopped, Python's process group killed).

      Example:

        scopelab compare 'timeout 0.2 { busy 0.6 }'
      """
  )

  @Argument(help: "The program, e.g. 'timeout 0.2 { sleep 0.1; print done }'.")
  var program: String

  @OptionGroup var parameters: SettingOptions

  @OptionGroup var python: PythonOption

  // The root takes --color anywhere; compare prints no colour.
  @OptionGroup(visibility: .hidden) var color: ColorOptions

  func run() async throws {
    let output = StandardOutput(.output)
    var core = CompareCommandCore(
      source: program, settings: parameters.settings, python: python.path)
    core.width = TextWidth.of(1)
    // As for `run`: a third Ctrl-C quits at once, and then Python must not outlive us.
    let controller = RunController.quittingOnThirdPress(before: PythonRunner.killAllRunning)
    let status = await RunSignals.handling(
      controller, output: output, quittingOutsideRun: "compare interrupted"
    ) {
      await core.run(output: output, errors: StandardOutput(.error), controller: controller)
    }
    throw ExitCode(status)
  }
}
