import ArgumentParser
import ScopeLab

/// `scopelab check FILE.py|FILE.swift --scope NAME --kind timeout|scope`: the learner's
/// own scope, graded against the rules.
struct CheckSubcommand: AsyncParsableCommand, ColorCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Grade your own scope (Python or Swift) against the rules.",
    usage: """
      scopelab check <file.py|file.swift> --scope <name> --kind <kind>
                     [--python <path>] [--color <color>]
      """,
    discussion: """
      Runs the scope NAME of FILE through a battery of small programs, one per rule, each \
      under the tracer of `scopelab trace`, and says for each rule whether it held; a \
      broken rule is shown with the trace of the program that broke it. Rules: for every \
      scope W1-W4 (an enter that fails runs no exit; exit once on every way out; what exit \
      sees, suppression; a cancellation the scope did not cause propagates), for --kind \
      timeout also TO1 (the task usable after a handled timeout), TO2 (the scope returns \
      only after its body has finished), TO3 (its own deadline becomes TimeoutError; an \
      outside cancellation after the deadline fired stays a cancellation), TO4, TO5 \
      (nested deadlines, and equal ones) and TO6 (a deadline already passed), each in the \
      reading of the file's language (the REPL's `help RULE` explains each).

      FILE.py is imported as a module: what is under `if __name__ == "__main__":` does \
      not run, anything else at its top level does (so keep a demo's asyncio.run under \
      that guard). NAME is looked up in it, a dotted NAME by attributes \
      (`--scope asyncio.timeout` in a file that imports asyncio grades CPython's own). \
      --kind timeout builds the scope as NAME(delay), delay in seconds as for \
      asyncio.timeout (0 and negative: already passed); --kind scope builds NAME().

      FILE.swift is compiled with the rule programs into one program (swiftc, against \
      AsyncScope, kept in the cache as `trace` keeps programs); its own top-level code and \
      its @main do not run, and a scope must not read the file's top-level variables. \
      NAME is a type conforming to AsyncScope (`--scope Timeout` in a file that imports \
      AsyncScope grades the library's own): --kind timeout builds it as NAME(duration), \
      as Timeout(.seconds(1)) is built; --kind scope builds NAME(). Swift's cancellation \
      is sticky, so TO1 asks that the deadline cancel only a task that runs the body.

      Exit status: 0 every rule held; 1 a rule broken; 2 invalid input (no such file, a \
      syntax or compile error - FILE:LINE: message -, no such scope, no usable Python or \
      swiftc); 130 interrupted by Ctrl-C.

      Examples:

        scopelab check my_timeout.py --scope Timeout --kind timeout
        scopelab check MyTimeout.swift --scope MyTimeout --kind timeout
      """
  )

  @Argument(help: "The file with the scope: FILE.py or FILE.swift.")
  var file: String

  @Option(
    help: ArgumentHelp("The scope's name in the file (a class or function).", valueName: "name"))
  var scope: String

  @Option(help: ArgumentHelp("What the scope is: timeout or scope.", valueName: "kind"))
  var kind: String

  @OptionGroup var python: PythonOption

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
    var core = CheckCommandCore(
      file: file, scope: scope, kind: try parsedKind(),
      palette: try color.palette(isTerminal: output.isTerminal), python: python.path)
    core.width = TextWidth.of(1)
    let controller = RunController.quittingOnThirdPress(before: PythonRunner.killAllRunning)
    let status = await RunSignals.handling(controller, output: output) {
      await core.run(output: output, errors: StandardOutput(.error), controller: controller)
    }
    throw ExitCode(status)
  }
}
