/// Compares a command's new output with the output its transcript recorded, by the
/// checking rules of `replay --check`.
///
/// - A timing token (`2.001s`, `2s`, `250ms`) matches one of the same unit inside its
///   ``TimingWindow``: never more than 20 ms early, up to 15% or 100 ms late (whichever
///   is larger), that late allowance multiplied by the slack; fewer decimals widen it.
/// - `[..]` inside a line matches any text, possibly none; `[PID]` and the other
///   ``Placeholder``s match what they stand for, or themselves.
/// - A line that is `...` (spaces and tabs around it allowed) matches any number of lines,
///   none included, however many lines follow it that must still match.
/// - Every other character must be equal.
///
/// When the output does not match, the result still lines the two up as well as it can,
/// with the fewest lines missing or extra, so that ``UnifiedDiff`` shows only the lines
/// that differ; then, in each stretch where they do not line up, every expected line that
/// no longer matches is replaced by the actual line most like it that the stretch holds
/// (``StretchAligner``), so the diff shows what was printed in its place and `--bless`
/// writes it there. A start that matches line for line is paired as it is, in one pass;
/// the rest costs the number of its expected lines times the number of its actual lines
/// (times the line lengths for lines with `[..]`), never exponential. So output that still
/// matches - a check that passes - takes time in proportion to its length.
public struct OutputMatcher: Sendable {
  /// The factor, at least 1, by which every late allowance is multiplied (`--slack F`).
  public let slack: Double
  /// How much later every window's late edge is, for a busy machine (never negative).
  public let widening: Duration

  /// A matcher whose late allowances are multiplied by `slack` (`--slack F`); a slack
  /// below 1 (or not a number) counts as 1. `widening` moves every window's late edge
  /// later (``SchedulingProbe``); the early edge never moves.
  public init(slack: Double = 1.0, widening: Duration = .zero) {
    self.slack = slack >= 1 ? slack : 1
    self.widening = max(.zero, widening)
  }

  /// The size of an alignment table (expected lines times actual lines) past which a
  /// matching end is paired without it.
  static let largeTable = 250_000

  /// How the actual output lines of one command compare with its expected lines.
  public func match(expected: [ExpectedLine], actual: [String]) -> MatchResult {
    let patterns = expected.map { LinePattern($0.text, slack: slack, widening: widening) }
    let lines = actual.map { OutputLine($0) }
    // Lines that match from the start are paired, as the cheapest alignment pairs them
    // (pairing a match costs nothing, and no other move is cheaper): only the rest needs
    // the table, whose size is the product of the two lengths.
    func matches(_ i: Int, _ j: Int) -> Bool {
      !patterns[i].isEllipsis && patterns[i].compare(with: lines[j]) == .match
    }
    var start = 0
    while start < patterns.count, start < lines.count, matches(start, start) { start += 1 }
    // So are lines that match at the end, when what is left would make a large table: a
    // changed line in the middle of a long output. (Where several alignments cost the
    // same, this may pick another one than the table alone would; small outputs keep the
    // table's.)
    var end = 0
    if (patterns.count - start) * (lines.count - start) > Self.largeTable {
      while start + end < patterns.count, start + end < lines.count,
        matches(patterns.count - 1 - end, lines.count - 1 - end)
      {
        end += 1
      }
    }
    var alignment = Alignment(
      patterns: Array(patterns[start..<(patterns.count - end)]),
      lines: Array(lines[start..<(lines.count - end)]))
    let (rest, misses) = alignment.walk()
    let steps =
      (0..<start).map { MatchResult.Step.matched(expected: $0, actual: $0) }
      + rest.map { $0.shifted(by: start) }
      + (0..<end).reversed().map {
        MatchResult.Step.matched(expected: patterns.count - 1 - $0, actual: lines.count - 1 - $0)
      }
    let problems = misses.map { "line \(expected[$0.expected + start].lineNumber): \($0.miss)" }
    return MatchResult(isMatch: alignment.cost(0, 0) == 0, steps: steps, timingProblems: problems)
  }
}

/// The cheapest way to line expected lines up with actual ones, for every pair of
/// suffixes: a line missing or extra costs 2, and so does a pair of lines that differ just
/// before an ellipsis (so that a changed line is shown with what replaced it, rather than
/// left missing while the ellipsis covers the new one); a pair of lines that match but for
/// their timing costs 1
/// (such lines are paired, and their timing reported); a match and whatever an ellipsis
/// covers cost nothing.
private struct Alignment {
  static let impossible = Int.max

  let patterns: [LinePattern]
  let lines: [OutputLine]
  private let width: Int
  private var costs: [Int]
  /// Every pair's comparison, once made: after `init`, every pair with a line that is not
  /// an ellipsis.
  private var comparisons: [LineComparison?]

  init(patterns: [LinePattern], lines: [OutputLine]) {
    self.patterns = patterns
    self.lines = lines
    width = lines.count + 1
    costs = Array(repeating: Self.impossible, count: (patterns.count + 1) * width)
    comparisons = Array(repeating: nil, count: patterns.count * lines.count)
    for j in 0...lines.count { costs[patterns.count * width + j] = 2 * (lines.count - j) }
    for i in stride(from: patterns.count - 1, through: 0, by: -1) {
      for j in stride(from: lines.count, through: 0, by: -1) {
        costs[i * width + j] = bestMove(i, j).cost
      }
    }
  }

  func cost(_ i: Int, _ j: Int) -> Int { costs[i * width + j] }

  /// One way on from expected line `i` and actual line `j`.
  private enum Move {
    /// Pair the two lines (they match, or would but for the timing misses).
    case pair([TimingMiss])
    /// End the ellipsis at `i`.
    case endEllipsis
    /// Let the ellipsis at `i` cover actual line `j`.
    case cover
    /// Pair two lines that differ: one line missing and one extra, in the same place.
    case replace
    case missing
    case extra
  }

  /// The cheapest move from (i, j) and its cost. Of equal moves the first is taken:
  /// pairing lines, then ending an ellipsis (so it covers as little as it can), then
  /// covering, then a missing line, then an extra one.
  private mutating func bestMove(_ i: Int, _ j: Int) -> (move: Move, cost: Int) {
    var best: (move: Move, cost: Int) = (.missing, Self.impossible)
    func consider(_ move: Move, _ rest: Int, plus extra: Int) {
      guard rest != Self.impossible, rest + extra < best.cost else { return }
      best = (move, rest + extra)
    }
    let hasLine = j < lines.count
    if patterns[i].isEllipsis {
      consider(.endEllipsis, cost(i + 1, j), plus: 0)
      if hasLine { consider(.cover, cost(i, j + 1), plus: 0) }
      return best
    }
    if hasLine {
      switch comparison(i, j) {
      case .match: consider(.pair([]), cost(i + 1, j + 1), plus: 0)
      case .timingOnly(let misses): consider(.pair(misses), cost(i + 1, j + 1), plus: 1)
      case .mismatch:
        // Just before an ellipsis, a changed line is paired with the new one (as cheap
        // as leaving it missing, and taken first): otherwise the ellipsis covers the new
        // line for free, and the diff (and bless) would never show what was printed.
        if i + 1 < patterns.count, patterns[i + 1].isEllipsis {
          consider(.replace, cost(i + 1, j + 1), plus: 2)
        }
      }
    }
    consider(.missing, cost(i + 1, j), plus: 2)
    if hasLine { consider(.extra, cost(i, j + 1), plus: 2) }
    return best
  }

  private mutating func comparison(_ i: Int, _ j: Int) -> LineComparison {
    let index = i * lines.count + j
    if let known = comparisons[index] { return known }
    let comparison = patterns[i].compare(with: lines[j])
    comparisons[index] = comparison
    return comparison
  }

  /// The steps of the cheapest alignment, each stretch of lines that do not line up
  /// lined up again by ``StretchAligner``, and the timing misses of the lines paired
  /// despite them.
  mutating func walk() -> (steps: [MatchResult.Step], misses: [(expected: Int, miss: TimingMiss)]) {
    let aligner = StretchAligner(patterns: patterns, lines: lines, comparisons: comparisons)
    var steps: [MatchResult.Step] = []
    var misses: [(expected: Int, miss: TimingMiss)] = []
    // The stretch since the last pair: its steps, expected lines and actual lines.
    var stretch: (steps: [MatchResult.Step], expected: [Int], actual: [Int]) = ([], [], [])
    func endStretch() {
      let hasMissing = stretch.steps.contains {
        if case .missing = $0 { return true }
        return false
      }
      steps +=
        hasMissing && !stretch.actual.isEmpty
        ? aligner.align(expected: stretch.expected, actual: stretch.actual) : stretch.steps
      stretch = ([], [], [])
    }
    var i = 0
    var j = 0
    var covered = 0
    while i < patterns.count || j < lines.count {
      guard i < patterns.count else {
        stretch.steps.append(.extra(actual: j))
        stretch.actual.append(j)
        j += 1
        continue
      }
      switch bestMove(i, j).move {
      case .pair(let lineMisses):
        endStretch()
        steps.append(aligner.pair(i, j))
        misses += lineMisses.map { (i, $0) }
        i += 1
        j += 1
      case .endEllipsis:
        stretch.steps.append(.ellipsis(expected: i, actual: j - covered..<j))
        stretch.expected.append(i)
        covered = 0
        i += 1
      case .cover:
        stretch.actual.append(j)
        covered += 1
        j += 1
      case .replace:
        stretch.steps += [.missing(expected: i), .extra(actual: j)]
        stretch.expected.append(i)
        stretch.actual.append(j)
        i += 1
        j += 1
      case .missing:
        stretch.steps.append(.missing(expected: i))
        stretch.expected.append(i)
        i += 1
      case .extra:
        stretch.steps.append(.extra(actual: j))
        stretch.actual.append(j)
        j += 1
      }
    }
    endStretch()
    return (steps, misses)
  }
}

extension MatchResult.Step {
  /// The step with both its indices moved on by `offset`.
  fileprivate func shifted(by offset: Int) -> MatchResult.Step {
    switch self {
    case .matched(let expected, let actual):
      .matched(expected: expected + offset, actual: actual + offset)
    case .ellipsis(let expected, let actual):
      .ellipsis(
        expected: expected + offset,
        actual: (actual.lowerBound + offset)..<(actual.upperBound + offset))
    case .replaced(let expected, let actual, let written):
      .replaced(expected: expected + offset, actual: actual + offset, written: written)
    case .missing(let expected): .missing(expected: expected + offset)
    case .extra(let actual): .extra(actual: actual + offset)
    }
  }
}
