/// What the command line asked for: `--quick`, `--only KEY`, `--help`.
struct BenchOptions {
  /// Fewer trials and iterations: a smoke run for CI.
  var quick = false
  /// Measure one key only (and whatever shares its measurement, like the two overruns).
  var only: String?

  /// Every key the report can hold, in report order.
  static let keys = [
    "timeout_overrun_p50_ms", "timeout_overrun_p99_ms", "scope_cycle_ns",
    "traced_scope_cycle_ns", "timeout_cycle_ns", "group_cycle_ns", "process_teardown_p50_ms",
  ]

  static let usage = """
    usage: scopelab-bench [--quick] [--only KEY]

    Prints one JSON object with timing results; progress goes to stderr.
      --quick     fewer trials (a CI smoke run)
      --only KEY  measure one key: \(keys.joined(separator: ", "))
    """

  /// Parses the arguments after the program name.
  init(arguments: [String]) throws(BenchUsageError) {
    var rest = arguments[...]
    while let argument = rest.popFirst() {
      switch argument {
      case "--quick": quick = true
      case "--only":
        guard let key = rest.popFirst() else { throw BenchUsageError("--only needs a key") }
        guard Self.keys.contains(key) else { throw BenchUsageError("unknown key '\(key)'") }
        only = key
      case "-h", "--help": throw BenchUsageError(nil)
      default: throw BenchUsageError("unknown argument '\(argument)'")
      }
    }
  }

  /// Whether any of `keys` is to be measured.
  func wants(_ keys: String...) -> Bool {
    only.map(keys.contains) ?? true
  }
}
