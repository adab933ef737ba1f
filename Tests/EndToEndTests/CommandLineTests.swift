import TestSupport
import Testing

/// The command line itself: which usage a usage error shows, and `--help` at a given
/// terminal width (DESIGN.md "Contract: command line": 2 = invalid input).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CommandLineTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  /// Runs `scopelab ARGUMENTS` with `COLUMNS` set, as a terminal of that width would.
  private func run(_ arguments: [String], columns: Int) throws -> Finished {
    let process = try PipedProcess(
      executable: Scopelab.path(), arguments: arguments,
      environment: scopelab.environment(["COLUMNS": "\(columns)"]))
    let termination = try process.finish(timeout: 30)
    return Finished(
      termination: termination, output: process.outputText, errors: process.errorText)
  }

  // MARK: - Usage errors

  @Test(
    "a usage error in run shows run's usage, status 2",
    arguments: [
      ["run", "print hi", "--color", "bogus"], ["run", "--color", "bogus", "print hi"],
      ["run", "print hi", "--color=bogus"], ["--color", "bogus", "run", "print hi"],
      ["run", "print hi", "--trace-format", "bogus"], ["run", "print hi", "--bogus"], ["run"],
    ])
  func runUsage(arguments: [String]) throws {
    let finished = try scopelab.run(arguments)
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.output.isEmpty, "nothing runs: \(finished)")
    #expect(finished.errors.hasPrefix("Error: "), "\(finished)")
    #expect(finished.errors.contains("Usage: scopelab run <program>"), "\(finished)")
    #expect(finished.errors.contains("See 'scopelab run --help'"), "\(finished)")
    #expect(!finished.errors.contains("<subcommand>"), "not the top-level usage: \(finished)")
  }

  @Test(
    "a bad --color with no subcommand shows the REPL's usage, which is scopelab's own, status 2")
  func topLevelUsage() throws {
    let finished = try scopelab.run(["--color", "bogus"])
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.errors.contains("'bogus' is invalid for '--color <color>'"), "\(finished)")
    #expect(finished.errors.contains("Usage: scopelab [--lesson <lesson>]"), "\(finished)")
    #expect(finished.errors.contains("See 'scopelab repl --help'"), "\(finished)")
  }

  @Test("a lesson named like a subcommand is not taken for one")
  func optionValueIsNotASubcommand() throws {
    let finished = try scopelab.run(["--lesson", "run", "--color", "bogus"])
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.errors.contains("Usage: scopelab [--lesson <lesson>]"), "\(finished)")
  }

  @Test(
    "a bad --color is refused by every subcommand, with its usage",
    arguments: [
      ["lessons"], ["compare", "sleep 0"], ["verify", "x.md"], ["replay", "x.md"],
      ["trace", "x.py"], ["check", "x.py", "--scope", "T", "--kind", "scope"],
    ])
  func badColorInAnySubcommand(arguments: [String]) throws {
    let finished = try scopelab.run(arguments + ["--color", "bogus"])
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.errors.contains("'bogus' is invalid for '--color <color>'"), "\(finished)")
    #expect(finished.errors.contains("See 'scopelab \(arguments[0]) --help'"), "\(finished)")
  }

  @Test("'scopelab repl' is the REPL that 'scopelab' runs")
  func replByName() throws {
    for arguments in [["repl"], []] {
      let finished = try scopelab.run(arguments, input: "set sleep 3\n")
      #expect(finished.status == 0, "\(finished)")
      #expect(finished.output == "sleep = 3s (was 1s)\n", "\(finished)")
    }
  }

  @Test(
    "--set grace refuses a negative value and no limit, status 2",
    arguments: ["grace=-1", "grace=inf"])
  func graceRefused(setting: String) throws {
    let finished = try scopelab.run(["run", "print $grace", "--set", setting])
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.output.isEmpty, "nothing runs: \(finished)")
    #expect(finished.errors.hasPrefix("error: --set: bad value for grace: "), "\(finished)")
  }

  // MARK: - --help

  /// The paragraphs of a help screen's discussion: the lines between the overview and
  /// USAGE, grouped at blank lines.
  private func discussion(_ help: String) -> [[String]] {
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let body = lines.drop { !$0.isEmpty }.prefix { !$0.hasPrefix("USAGE:") }
    return body.split(separator: "").map(Array.init)
  }

  @Test(
    "--help fits 80 columns, and paragraphs are filled, not broken mid-line",
    arguments: [["--help"], ["run", "--help"]])
  func helpAtEightyColumns(arguments: [String]) throws {
    let help = try run(arguments, columns: 80)
    #expect(help.status == 0, "\(help)")
    let long = help.lines.filter { $0.count > 80 }
    #expect(long.isEmpty, "over 80 columns: \(long)")
    let paragraphs = discussion(help.output)
    #expect(!paragraphs.isEmpty, "\(help)")
    for paragraph in paragraphs where !paragraph[0].hasPrefix(" ") {
      // Every line but a paragraph's last goes on to near the edge: no line ends early
      // where the source had a line break.
      for line in paragraph.dropLast() {
        #expect(line.count > 60, "a short line inside a paragraph: \(line.debugDescription)")
      }
    }
  }

  @Test("a wide terminal puts each paragraph on one line; the example stays intact")
  func helpInAWideTerminal() throws {
    let help = try run(["run", "--help"], columns: 250)
    #expect(help.status == 0, "\(help)")
    let exitStatus = help.lines.filter { $0.hasPrefix("Exit status:") }
    #expect(exitStatus.count == 1, "\(help)")
    #expect(exitStatus.first?.hasSuffix("130 interrupted by Ctrl-C.") == true, "\(help)")
    for columns in [80, 250] {
      let help = try run(["run", "--help"], columns: columns)
      #expect(
        help.lines.contains(
          "  scopelab run 'timeout $timeout { sleep $sleep; print done }; print after' \\"),
        "\(help)")
      #expect(help.lines.contains("    --set sleep=3"), "\(help)")
    }
  }

  @Test("run's written-out usage names every option of run --help")
  func usageNamesEveryOption() throws {
    let help = try run(["run", "--help"], columns: 80)
    let usage = help.lines.drop { !$0.hasPrefix("USAGE:") }.prefix { !$0.isEmpty }
      .joined(separator: " ")
    let options = help.lines.drop { $0 != "OPTIONS:" }.dropFirst().compactMap { line in
      line.split(separator: " ").first.map(String.init).flatMap { $0.hasPrefix("--") ? $0 : nil }
    }
    #expect(options.count >= 4, "\(help)")
    for option in options where !["--version", "--help"].contains(option) {
      #expect(usage.contains("[\(option)"), "\(option) is missing from: \(usage)")
    }
    #expect(usage.contains("<program>"), "\(usage)")
  }
}
