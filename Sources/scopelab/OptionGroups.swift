import ArgumentParser

/// `--set NAME=VALUE`, for `run` and `compare`.
struct SettingOptions: ParsableArguments {
  @Option(
    name: .customLong("set"),
    help: ArgumentHelp(
      "Set a parameter: --set sleep=3, --set timeout=500ms.", valueName: "NAME=VALUE"))
  var settings: [String] = []
}

/// `--force`, for the REPL (with `--record`), `replay` (with `--asciicast`) and `run` (with
/// `--perfetto`).
struct ForceOption: ParsableArguments {
  @Flag(
    help:
      "Overwrite the file named by --record (replay's --asciicast, run's --perfetto) if it exists."
  )
  var force = false
}
