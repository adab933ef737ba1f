import ArgumentParser
import ScopeLab

/// `scopelab verify FILE.md...`: proves lessons - every prediction, solution, name and
/// example - as the built-in lessons' tests do.
struct VerifySubcommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Prove lessons: every prediction holds, every solution solves, examples check.",
    discussion: """
      Each problem is one line, FILE:LINE: problem. Checked snippets (```python check, \
      ```swift check) run under python3 or swiftc and must print their ```output block. \
      A lesson whose programs start processes, or that has snippets, is verified only \
      after you agree (each listed whole), or with --trust.

      Exit status: 0 every lesson holds, 1 a problem found, 2 a file that cannot be read.
      """
  )

  @Argument(help: "The lesson files.")
  var files: [String] = []

  @Flag(help: "Run the lessons' processes without asking.")
  var trust = false

  @Option(help: "Widen the late side of the examples' timing windows by this factor.")
  var slack: Double = 1

  // The root takes --color anywhere; verify prints no colour.
  @OptionGroup(visibility: .hidden) var color: ColorOptions

  func validate() throws {
    _ = try color.choice()
    guard slack.isFinite, slack >= 1 else {
      throw ValidationError("--slack must be a number of 1 or more, like 2")
    }
  }

  func run() async throws {
    let status = await LessonVerifier(slack: slack).run(
      files: files, trust: trust, output: StandardOutput(.output),
      errors: StandardOutput(.error), confirm: TerminalQuestion.ask)
    throw ExitCode(status)
  }
}
