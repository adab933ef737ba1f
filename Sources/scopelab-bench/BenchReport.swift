/// The results, in the order they were measured, printed as one JSON object.
struct BenchReport {
  private var entries: [(key: String, value: Double)] = []

  mutating func set(_ key: String, _ value: Double) {
    entries.append((key, value))
  }

  /// A cycle's wall time under `key`, and its CPU time under `key` with `_cpu` before
  /// the unit (`timeout_cycle_cpu_ns`).
  mutating func set(_ key: String, _ cycle: Cycle) {
    set(key, cycle.wall)
    set(String(key.dropLast("_ns".count)) + "_cpu_ns", cycle.cpu)
  }

  /// `{"key": 1.2345, ...}`: four decimals, keys in measurement order.
  var json: String {
    let fields = entries.map { "\"\($0.key)\": \(Self.format($0.value))" }
    return "{" + fields.joined(separator: ", ") + "}"
  }

  private static func format(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    return "\((value * 10_000).rounded() / 10_000)"
  }
}
