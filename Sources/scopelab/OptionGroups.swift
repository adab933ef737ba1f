import ArgumentParser
import ScopeLab

/// `--set NAME=VALUE`, for `run` and `compare`.
struct SettingOptions: ParsableArguments {
  @Option(
    name: .customLong("set"),
    help: ArgumentHelp(
      "Set a parameter: --set sleep=3, --set timeout=500ms.", valueName: "NAME=VALUE"))
  var settings: [String] = []
}

/// `--force`, for the REPL (with `--record`) and `replay` (with `--asciicast`).
struct ForceOption: ParsableArguments {
  @Flag(help: "Overwrite the file named by --record (or replay's --asciicast) if it exists.")
  var force = false
}

/// `--trace-format` and `--timeline`, for `run` and `trace`.
struct TraceOutputOptions: ParsableArguments {
  @Option(help: ArgumentHelp("How to print the trace.", valueName: "format"))
  var traceFormat: TraceFormat = .text

  @Flag(help: "Draw the timeline after the run.")
  var timeline = false

  /// The timeline's width: with JSONL on standard output the picture goes to standard error.
  var timelineWidth: Int {
    TimelineWidth.of(traceFormat == .jsonl ? 2 : 1)
  }
}

/// `--perfetto FILE.json [--force]`, for `run` and `trace`.
struct PerfettoOptions: ParsableArguments {
  @Option(
    name: .customLong("perfetto"),
    help: ArgumentHelp(
      "Also write the run as Chrome trace-event JSON (an existing file only with --force).",
      valueName: "file.json"))
  var file: String?

  @Flag(help: "Replace the --perfetto file if it exists.")
  var force = false

  /// A usage error for `--force` without `--perfetto`. Called by the subcommand's own
  /// `validate()`, in its order of checks (a group's `validate()` would run before them).
  func check() throws {
    if force, file == nil {
      throw ValidationError("--force goes with --perfetto FILE.json")
    }
  }
}

/// `--python PATH`, for `trace`, `compare` and `check`.
struct PythonOption: ParsableArguments {
  @Option(
    name: .customLong("python"),
    help: ArgumentHelp("The Python to run (python3 on PATH by default).", valueName: "path"))
  var path: String?
}
