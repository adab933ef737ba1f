/// Runs the measurements the options ask for and gathers the report.
///
/// Runs on the global executor (not the main actor), as the scopes of a real run do.
struct Benchmarks {
  let options: BenchOptions

  func run() async throws -> BenchReport {
    let quick = options.quick
    var report = BenchReport()
    if options.wants(.timeoutOverrunP50, .timeoutOverrunP99) {
      Progress.say("timeout overrun ...")
      let overruns = try await OverrunBenchmark(trials: quick ? 40 : 300).measure()
      report.set("timeout_overrun_p50_ms", overruns.percentile(50))
      report.set("timeout_overrun_p99_ms", overruns.percentile(99))
    }
    let cycles = CycleBenchmark(batches: quick ? 5 : 21, iterations: quick ? 20_000 : 200_000)
    if options.wants(.scopeCycle) {
      Progress.say("scope cycle ...")
      report.set("scope_cycle_ns", try await cycles.scope())
      report.set("class_scope_cycle_ns", try await cycles.classScope().wall)
    }
    if options.wants(.tracedScopeCycle) {
      Progress.say("traced scope cycle ...")
      report.set("traced_scope_cycle_ns", try await cycles.tracedScope().wall)
    }
    if options.wants(.timeoutCycle) {
      Progress.say("timeout cycle ...")
      let timeouts = CycleBenchmark(batches: quick ? 5 : 21, iterations: quick ? 5_000 : 50_000)
      report.set("timeout_cycle_ns", try await timeouts.timeout())
      report.set("untimed_timeout_cycle_ns", try await timeouts.untimedTimeout())
      report.set("child_task_cycle_ns", try await timeouts.childTask())
    }
    if options.wants(.groupCycle) {
      Progress.say("group cycle ...")
      let groups = CycleBenchmark(batches: quick ? 5 : 21, iterations: quick ? 500 : 5_000)
      report.set("group_cycle_ns", try await groups.group())
      report.set("bare_group_cycle_ns", try await groups.bareGroup())
    }
    if options.wants(.processTeardownP50) {
      Progress.say("process teardown ...")
      let teardowns = try await TeardownBenchmark(trials: quick ? 8 : 60).measure()
      report.set("process_teardown_p50_ms", teardowns.median)
    }
    return report
  }
}
