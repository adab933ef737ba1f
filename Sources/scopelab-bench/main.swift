#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// scopelab-bench: prints one JSON object of timings on stdout; see BenchOptions.usage.

let options: BenchOptions
do {
  options = try BenchOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
  if let message = error.message { Progress.say("scopelab-bench: \(message)") }
  Progress.say(BenchOptions.usage)
  exit(error.message == nil ? 0 : 2)
}

do {
  let report = try await Benchmarks(options: options).run()
  print(report.json)
} catch {
  Progress.say("scopelab-bench: \(error)")
  exit(1)
}
