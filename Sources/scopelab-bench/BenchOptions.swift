/// What the command line asked for: `--quick`, `--only KEY`.
struct BenchOptions {
  /// Fewer trials and iterations: a smoke run for CI.
  var quick = false
  /// Measure one key only (and whatever shares its measurement, like the two overruns).
  var only: BenchKey?

  /// Whether any of `keys` is to be measured.
  func wants(_ keys: BenchKey...) -> Bool {
    only.map(keys.contains) ?? true
  }
}

/// A key `--only` selects, in report order.
enum BenchKey: String, CaseIterable {
  case timeoutOverrunP50 = "timeout_overrun_p50_ms"
  case timeoutOverrunP99 = "timeout_overrun_p99_ms"
  case scopeCycle = "scope_cycle_ns"
  case tracedScopeCycle = "traced_scope_cycle_ns"
  case timeoutCycle = "timeout_cycle_ns"
  case groupCycle = "group_cycle_ns"
  case processTeardownP50 = "process_teardown_p50_ms"
}
