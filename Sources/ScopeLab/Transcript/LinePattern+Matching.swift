/// A timing token of new output outside the window of the expected one it lines up with.
struct TimingMiss: Sendable, Equatable, CustomStringConvertible {
  var expected: TimingToken
  var actual: TimingToken
  var window: TimingWindow

  /// `2.412s is late: the window for 2.001s is 1.981s to 2.301s`.
  var description: String {
    let side = window.isEarly(actual.seconds) ? "early" : "late"
    return
      "\(actual.text) is \(side): the window for \(expected.text) is \(window.describe(in: expected.unit))"
  }
}

/// How an expected line compares with a line of new output.
enum LineComparison: Sendable, Equatable {
  /// The line matches.
  case match
  /// The line would match but for these timing tokens, each outside its window.
  case timingOnly([TimingMiss])
  /// The line does not match, whatever the timing.
  case mismatch
}

extension LinePattern {
  /// How `line` compares with this pattern.
  ///
  /// Without `[..]` or placeholders the two lines are walked side by side. With them, a
  /// table over (pattern part, output part) finds the alignment with the fewest timing
  /// misses in time proportional to the product of the two lengths, however many `[..]`
  /// the line holds.
  func compare(with line: OutputLine) -> LineComparison {
    if text == line.text { return .match }
    if !hasWildcards { return compareSideBySide(with: line) }
    return compareWithWildcards(with: line)
  }

  private func compareSideBySide(with line: OutputLine) -> LineComparison {
    guard elements.count == line.units.count else { return .mismatch }
    var misses: [TimingMiss] = []
    for (element, unit) in zip(elements, line.units) {
      switch (element, unit) {
      case (.character(let expected), .character(let actual)) where expected == actual:
        continue
      case (.timing(let expected, let window), .timing(let actual)):
        switch fit(expected, window, actual) {
        case .inside: continue
        case .outside(let miss): misses.append(miss)
        case .otherUnit: return .mismatch
        }
      default:
        return .mismatch
      }
    }
    return misses.isEmpty ? .match : .timingOnly(misses)
  }

  /// How a timing token of new output fits the expected one.
  fileprivate enum Fit {
    case inside
    case outside(TimingMiss)
    /// The units differ (`s` against `ms`): the tokens do not line up at all.
    case otherUnit
  }

  fileprivate func fit(_ expected: TimingToken, _ window: Int, _ actual: TimingToken) -> Fit {
    guard expected.unit == actual.unit else { return .otherUnit }
    let window = windows[window]
    if window.contains(actual.seconds) { return .inside }
    return .outside(TimingMiss(expected: expected, actual: actual, window: window))
  }

  /// With `[..]` or placeholders. A `[..]` may stand inside a timing token of the line
  /// (`0.0[..]s` matches `0.060s`): when the line does not match with its timing tokens
  /// whole, it is tried again as characters, where the pattern's own timing tokens still
  /// match a token of the line inside their windows.
  private func compareWithWildcards(with line: OutputLine) -> LineComparison {
    let retry = mayCutTimingToken && line.hasTimingTokens
    guard literalsAppearInOrder(in: line) else {
      return retry ? compareWithWildcards(with: OutputLine(characters: line.text)) : .mismatch
    }
    let table = MissTable(pattern: self, line: line)
    guard table.cost(0, 0) != MissTable.impossible else {
      return retry ? compareWithWildcards(with: OutputLine(characters: line.text)) : .mismatch
    }
    let misses = table.misses()
    return misses.isEmpty ? .match : .timingOnly(misses)
  }
}

extension LinePattern {
  /// Whether the pattern's own characters appear in `line` in the same order, outside
  /// timing tokens: a quick test every matching line passes, before the slower one.
  fileprivate func literalsAppearInOrder(in line: OutputLine) -> Bool {
    var units = line.units.makeIterator()
    for case .character(let expected) in elements {
      while true {
        guard let unit = units.next() else { return false }
        if case .character(let actual) = unit, actual == expected { break }
      }
    }
    return true
  }
}

/// The fewest timing misses with which `pattern.elements[p...]` can match
/// `line.units[q...]`, for every `p` and `q`, filled from the ends back.
private struct MissTable {
  static let impossible = Int.max

  let pattern: LinePattern
  let line: OutputLine
  private let width: Int
  private var costs: [Int]

  init(pattern: LinePattern, line: OutputLine) {
    self.pattern = pattern
    self.line = line
    width = line.units.count + 1
    costs = Array(repeating: Self.impossible, count: (pattern.elements.count + 1) * width)
    costs[pattern.elements.count * width + line.units.count] = 0
    for p in stride(from: pattern.elements.count - 1, through: 0, by: -1) {
      for q in stride(from: line.units.count, through: 0, by: -1) {
        costs[p * width + q] = bestMove(p, q)?.cost ?? Self.impossible
      }
    }
  }

  func cost(_ p: Int, _ q: Int) -> Int { costs[p * width + q] }

  /// A way on from (p, q): to (p, q) here, at the cost from there plus one for a miss.
  private struct Move {
    var p: Int
    var q: Int
    var cost: Int
    var miss: TimingMiss?
  }

  /// The cheapest move from (p, q); of equal ones, the first that consumes less output.
  private func bestMove(_ p: Int, _ q: Int) -> Move? {
    var best: Move?
    func consider(_ p: Int, _ q: Int, _ miss: TimingMiss? = nil) {
      let rest = cost(p, q)
      guard rest != Self.impossible else { return }
      let total = rest + (miss == nil ? 0 : 1)
      if let best, best.cost <= total { return }
      best = Move(p: p, q: q, cost: total, miss: miss)
    }
    let unit = q < line.units.count ? line.units[q] : nil
    switch pattern.elements[p] {
    case .character(let expected):
      if case .character(let actual) = unit, actual == expected { consider(p + 1, q + 1) }
    case .timing(let expected, let window):
      if case .timing(let actual) = unit {
        switch pattern.fit(expected, window, actual) {
        case .inside: consider(p + 1, q + 1)
        case .outside(let miss): consider(p + 1, q + 1, miss)
        case .otherUnit: break
        }
      } else if case .character = unit, let (actual, end) = TimingToken.scan(line.characters, at: q)
      {
        // A line taken as characters (``OutputLine/init(characters:)``).
        switch pattern.fit(expected, window, actual) {
        case .inside: consider(p + 1, end)
        case .outside(let miss): consider(p + 1, end, miss)
        case .otherUnit: break
        }
      }
    case .anyText:
      consider(p + 1, q)
      if unit != nil { consider(p, q + 1) }
    case .placeholder(let placeholder, let name):
      if line.hasCharacters(name, at: q) { consider(p + 2, q + name.count) }
      if case .character(let actual) = unit, placeholder.matches(actual) { consider(p + 1, q + 1) }
    case .placeholderRest(let placeholder):
      consider(p + 1, q)
      if case .character(let actual) = unit, placeholder.matches(actual) { consider(p, q + 1) }
    }
    return best
  }

  /// The misses along the cheapest alignment, in order.
  func misses() -> [TimingMiss] {
    var misses: [TimingMiss] = []
    var p = 0
    var q = 0
    while p < pattern.elements.count, let move = bestMove(p, q) {
      if let miss = move.miss { misses.append(miss) }
      p = move.p
      q = move.q
    }
    return misses
  }
}
