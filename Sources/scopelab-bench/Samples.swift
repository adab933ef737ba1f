/// Measured values and the statistics the report uses (nearest-rank, as the Python side).
struct Samples {
  private(set) var values: [Double] = []

  mutating func add(_ value: Double) {
    values.append(value)
  }

  /// The nearest-rank percentile: the smallest value with at least `p`% at or below it.
  func percentile(_ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let rank = max(1, Int((p / 100 * Double(sorted.count)).rounded(.up)))
    return sorted[rank - 1]
  }

  var median: Double { percentile(50) }
}
