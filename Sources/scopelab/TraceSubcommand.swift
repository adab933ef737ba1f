import ArgumentParser
import ScopeLab

/// `scopelab trace FILE.py|FILE.swift`: real code, with every scope in it traced live.
struct TraceSubcommand: AsyncParsableCommand, ColorCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Run real code (asyncio, or Swift on AsyncScope) with every scope in it traced live.",
    usage: """
      scopelab trace <file.py|file.swift> [--trace-format <format>] [--timeline]
                     [--python <path>] [--perfetto <file.json> [--force]]
                     [--color <color>]
      """,
    discussion: """
      Runs FILE.py under CPython 3.11 or newer (sys.monitoring on 3.12+, sys.setprofile on \
      3.11; the file is not changed) and traces every `async with` in it, in the same \
      events as `scopelab run`: enter, exit with the error it received, exit-done with what \
      left it (suppressed, converted, replaced); a scope is named by its class, an \
      @asynccontextmanager by its function, asyncio.timeout as timeout (with fired when its \
      deadline passes), asyncio.TaskGroup as group and its tasks as task. Subprocesses \
      (started, signal, status, reaped), print output and the outcome are traced too. The \
      audit line after the trace names what the program left behind: an __aexit__ that \
      ran twice or never, a child process still running (scopelab kills and reaps it).

      A .swift file that imports AsyncScope (a scope of your own conforming to AsyncScope, \
      a body using withScope, Timeout, TaskGroupScope, ProcessScope, print) is compiled \
      with swiftc against the AsyncScope of this scopelab's build and run with the same \
      live trace; every withScope in it is traced, and print becomes a print event. The \
      compiled program is kept in $XDG_CACHE_HOME/scopelab/swift (~/.cache/scopelab/swift), \
      so the next trace of the same source starts at once. A compile error is shown with \
      the file's own name and line.

      --perfetto FILE.json also writes the run as Chrome trace-event JSON for \
      ui.perfetto.dev or chrome://tracing, as `scopelab run` does.

      Exit status: 0 the outcome is ok; 1 the program ended with an error; 2 invalid \
      input (no such file, a syntax or compile error - FILE:LINE: message - or no usable \
      Python or swiftc); 130 interrupted by Ctrl-C (the program is stopped, its children \
      reaped).

      Example:

        scopelab trace app.py --timeline
      """
  )

  @Argument(help: "The program: an asyncio script (FILE.py) or Swift on AsyncScope (FILE.swift).")
  var file: String

  @OptionGroup var traceOutput: TraceOutputOptions

  @OptionGroup var python: PythonOption

  @OptionGroup var perfetto: PerfettoOptions

  @OptionGroup var color: ColorOptions

  func validate() throws {
    _ = try color.choice()
    try perfetto.check()
  }

  func run() async throws {
    let output = StandardOutput(.output)
    var core = TraceCommandCore(
      file: file,
      format: traceOutput.traceFormat,
      timeline: traceOutput.timeline,
      width: traceOutput.timelineWidth,
      palette: try color.palette(isTerminal: output.isTerminal),
      python: python.path
    )
    core.perfetto = perfetto.file
    core.force = perfetto.force
    // As for `compare`: a third Ctrl-C quits at once, and then Python must not outlive us.
    let controller = RunController.quittingOnThirdPress(before: PythonRunner.killAllRunning)
    let status = await RunSignals.handling(controller, output: output) {
      await core.run(output: output, errors: StandardOutput(.error), controller: controller)
    }
    throw ExitCode(status)
  }
}
