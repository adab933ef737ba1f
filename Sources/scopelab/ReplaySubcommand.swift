import ArgumentParser
import LineEditor
import ScopeLab

/// `scopelab replay FILE... [--speed X] [--check] [--bless] [--trust] [--slack F]
/// [--idle-limit S] [--asciicast OUT.cast [--force] [--size COLSxROWS] [--no-run]]`:
/// replays transcripts live, or checks them.
struct ReplaySubcommand: AsyncParsableCommand, ColorCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Replay transcripts live, or check them against their recorded output.",
    discussion: """
      Live replay runs each command for real, shown as if typed, with the recorded pauses \
      (scaled by --speed, at most 3 s each, or --idle-limit). --check runs the commands as fast as possible \
      in a fresh session and compares their output with the file (timings within windows, \
      [..] and ... as wildcards); a mismatch shows a diff and writes FILE.actual. --bless \
      rewrites only the lines that no longer match. --asciicast OUT.cast also writes the \
      live replay as an asciicast; with --no-run it is made from the transcript's text and \
      its trace times, running nothing.

      Exit status: 0 all matched, 1 a mismatch, 2 an error. A transcript that starts \
      processes is replayed only after you agree, or with --trust.
      """
  )

  @Argument(help: "The transcript files.")
  var files: [String] = []

  @Option(help: "Play faster (2) or slower (0.5) than recorded.")
  var speed: Double = 1

  @Flag(help: "Compare the output with the transcript instead of playing it.")
  var check = false

  @Flag(help: "With a check: rewrite the lines that no longer match.")
  var bless = false

  @Flag(help: "Run the transcript's processes without asking.")
  var trust = false

  @Option(help: "Widen the late side of timing windows by this factor (slow machines).")
  var slack: Double = 1

  @Option(
    help: ArgumentHelp(
      "Also write the live replay as an asciicast v2 file (an existing one only with --force).",
      valueName: "OUT.cast")
  )
  var asciicast: String?

  @OptionGroup var overwrite: ForceOption

  // Unconditional: `--size -1x5` is a bad size (one line from the core), not a lost value.
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "The asciicast's terminal size, and the width timelines are drawn at (default: the"
        + " terminal's, or 80x24).", valueName: "COLSxROWS")
  )
  var size: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Keep pauses to at most S seconds (default 3), or none; given, also the asciicast's"
        + " idle_time_limit.", valueName: "S")
  )
  var idleLimit: String?

  @Flag(help: "With --asciicast: make the cast from the transcript's text; run nothing.")
  var noRun = false

  @OptionGroup var color: ColorOptions

  func run() async throws {
    let output = StandardOutput(.output)
    var core = ReplayCommandCore(files: files)
    core.speed = speed
    core.check = check
    core.bless = bless
    core.trust = trust
    core.slack = slack
    core.asciicast = asciicast
    core.force = overwrite.force
    core.size = size
    core.idleLimit = idleLimit
    core.withoutRunning = noRun
    core.terminalSize = Terminal.size(of: 1).map { CastSize(columns: $0.columns, rows: $0.rows) }
    core.environment = ProcessEnvironment.current()
    let palette = check || bless ? .plain : try color.palette(isTerminal: output.isTerminal)
    let controller = RunController.quittingOnThirdPress()
    let status = await RunSignals.handling(
      controller, output: output, quittingOutsideRun: "replay interrupted"
    ) {
      await core.run(
        output: output, errors: StandardOutput(.error), palette: palette,
        width: TimelineWidth.of(1), controller: controller, confirm: TerminalQuestion.ask)
    }
    // Ctrl-C ended a run, and the replay with it: 130, as for `scopelab run`.
    throw ExitCode(
      controller.wasInterruptedFromOutside && controller.stopSignal == nil ? 130 : status)
  }
}
