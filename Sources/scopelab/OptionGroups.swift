import ArgumentParser

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
