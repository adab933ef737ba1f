/// A command line the benchmark cannot run; `message` is nil when help was asked for.
struct BenchUsageError: Error {
  let message: String?

  init(_ message: String?) {
    self.message = message
  }
}
