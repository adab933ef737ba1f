import ArgumentParser
import ScopeLab

/// `scopelab check FILE.py --scope NAME --kind timeout|scope`: the learner's own scope,
/// graded against the rules.
struct CheckSubcommand: AsyncParsableCommand, ColorCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Grade your own async context manager against the rules.",
    usage: """
      scopelab check <file.py> --scope <name> --kind <kind> [--python <path>]
                     [--color <color>]
      """,
    discussion: """
      Runs the scope NAME of FILE.py through a battery of small asyncio programs, one per \
      rule, each under the tracer of `scopelab trace`, and says for each rule whether it \
      held; a broken rule is shown with the trace of the program that broke it. Rules: \
      for every scope W1-W4 (an enter that fails runs no exit; exit once on every way \
      out; what exit sees, suppression; a cancellation the scope did not cause \
      propagates), for --kind timeout also TO1 (the task usable after a handled timeout: \
      uncancel), TO3 (its own deadline becomes TimeoutError; an outside cancellation after \
      the deadline fired stays CancelledError), TO4, TO5 (nested deadlines) and TO6 (a \
      deadline already passed), in CPython's reading (the REPL's `help RULE` explains each).

      FILE.py is imported as a module: what is under `if __name__ == "__main__":` does \
      not run, anything else at its top level does (so keep a demo's asyncio.run under \
      that guard). NAME is looked up in it, a dotted NAME by attributes \
      (`--scope asyncio.timeout` in a file that imports asyncio grades CPython's own). \
      --kind timeout builds the scope as NAME(delay), delay in seconds as for \
      asyncio.timeout (0 and negative: already passed); --kind scope builds NAME().

      Checking a .swift file is not supported yet.

      Exit status: 0 every rule held; 1 a rule broken; 2 invalid input (no such file, a \
      syntax error - FILE:LINE: message -, no such scope, no usable Python); 130 \
      interrupted by Ctrl-C.

      Example:

        scopelab check my_timeout.py --scope Timeout --kind timeout
      """
  )

  @Argument(help: "The file with the scope: FILE.py.")
  var file: String

  @Option(
    help: ArgumentHelp("The scope's name in the file (a class or function).", valueName: "name"))
  var scope: String

  @Option(help: ArgumentHelp("What the scope is: timeout or scope.", valueName: "kind"))
  var kind: String

  @Option(help: ArgumentHelp("The Python to run (python3 on PATH by default).", valueName: "path"))
  var python: String?

  @OptionGroup var color: ColorOptions

  func validate() throws {
    _ = try color.choice()
    _ = try parsedKind()
  }

  private func parsedKind() throws -> CheckCommandCore.Kind {
    guard let parsed = CheckCommandCore.Kind(rawValue: kind) else {
      throw ValidationError("--kind is timeout or scope, not '\(kind.controlCharactersEscaped)'")
    }
    return parsed
  }

  func run() async throws {
    let output = StandardOutput(.output)
    let core = CheckCommandCore(
      file: file, scope: scope, kind: try parsedKind(),
      palette: try color.palette(isTerminal: output.isTerminal), python: python)
    let controller = RunController.quittingOnThirdPress(before: PythonRunner.killAllRunning)
    let status = await RunSignals.handling(controller, output: output) {
      await core.run(output: output, errors: StandardOutput(.error), controller: controller)
    }
    throw ExitCode(status)
  }
}
