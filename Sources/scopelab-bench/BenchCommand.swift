import ArgumentParser

/// `scopelab-bench [--quick] [--only KEY]`: prints one JSON object of timings on standard
/// output; progress goes to standard error.
@main
struct BenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scopelab-bench",
    abstract: "Prints one JSON object with timing results; progress goes to stderr.")

  @Flag(help: "Fewer trials (a CI smoke run).")
  var quick = false

  @Option(help: ArgumentHelp("Measure one key only.", valueName: "KEY"))
  var only: BenchKey?

  func run() async throws {
    let report: BenchReport
    do {
      report = try await Benchmarks(options: BenchOptions(quick: quick, only: only)).run()
    } catch {
      Progress.say("scopelab-bench: \(error)")
      throw ExitCode.failure
    }
    print(report.json)
  }

  /// Parses and runs; a command line it cannot run exits 2, as scopelab's do.
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var command = command as? any AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
    } catch {
      guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
      Progress.say(fullMessage(for: error))
      exit(withError: ExitCode(2))
    }
  }
}

extension BenchKey: ExpressibleByArgument {}
