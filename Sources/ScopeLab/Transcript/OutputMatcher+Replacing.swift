/// What takes the place of an expected line that no longer matches.
///
/// The cheapest alignment (``OutputMatcher``) leaves stretches where expected and actual
/// lines do not line up: expected lines missing, actual lines extra or covered by an
/// ellipsis. In each such stretch, between two lines that still pair up, the expected
/// lines are lined up again with the stretch's actual lines so that:
///
/// 1. as many expected non-`...` lines as the stretch has actual lines for are replaced,
///    one for one, by an actual line (so `--bless` never asserts on fewer lines than it
///    can, and the diff shows what was printed in their place);
/// 2. of the ways to do that, each replaced line goes to the actual line most like it: the
///    same kind of line (both `=> ...` outcome lines, or trace lines of the same event and
///    scope) and then the most words in common (`Words.likeness(to:)`);
/// 3. then as few actual lines as possible are written as new lines: the rest stay
///    covered by the stretch's `...` lines, which are kept.
///
/// So an expected line is dropped only where the output has no line left for it between
/// the lines on either side that still match: output that is gone, not output a `...`
/// swallowed.
///
/// The work for a stretch of `m` expected and `n` actual lines is proportional to `m * n`
/// (times the line lengths, to weigh two lines), so the whole stays proportional to
/// expected x actual.
struct StretchAligner {
  let patterns: [LinePattern]
  let lines: [OutputLine]
  /// The comparisons the alignment made, `patterns.count x lines.count`, each made anew
  /// where missing.
  let comparisons: [LineComparison?]

  private func comparison(_ i: Int, _ j: Int) -> LineComparison {
    comparisons[i * lines.count + j] ?? patterns[i].compare(with: lines[j])
  }

  /// One way to line a stretch up, compared by replaced lines (more is better), then
  /// likeness (more is better), then lines written as new (fewer is better): one number,
  /// the replaced lines counting above any likeness and a likeness above any number of
  /// new lines (a stretch has fewer than 2^20 lines, each of likeness at most 2000).
  private enum Score {
    static let replaced = 1 << 52
    static let likeness = 1 << 20
    static let extra = -1
  }

  private enum Move {
    case endEllipsis
    case cover
    case replace
    case drop
    case extra
  }

  /// The steps for the stretch of expected lines `expected` (ellipses and lines that
  /// matched none) and actual lines `actual` (covered or extra), both in order.
  func align(expected: [Int], actual: [Int]) -> [MatchResult.Step] {
    let m = expected.count
    let n = actual.count
    let width = n + 1
    var dictionary: [String: Int] = [:]
    let expectedWords = expected.map { Words(patterns[$0].text, numbering: &dictionary) }
    let actualWords = actual.map { Words(lines[$0].text, numbering: &dictionary) }
    func likeness(_ a: Int, _ b: Int) -> Int {
      comparison(expected[a], actual[b]) == .match
        ? Self.matchLikeness : expectedWords[a].likeness(to: actualWords[b])
    }
    var best = [Int](repeating: 0, count: (m + 1) * width)
    var moves = [Move](repeating: .extra, count: (m + 1) * width)
    for b in 0..<n { best[m * width + b] = (n - b) * Score.extra }
    for a in stride(from: m - 1, through: 0, by: -1) {
      for b in stride(from: n, through: 0, by: -1) {
        var choice: (Move, Int)
        if patterns[expected[a]].isEllipsis {
          choice = (.endEllipsis, best[(a + 1) * width + b])
          if b < n, choice.1 < best[a * width + b + 1] {
            choice = (.cover, best[a * width + b + 1])
          }
        } else {
          choice = (.drop, best[(a + 1) * width + b])
          if b < n {
            let replace =
              best[(a + 1) * width + b + 1] + Score.replaced + likeness(a, b) * Score.likeness
            if choice.1 <= replace { choice = (.replace, replace) }
            let extra = best[a * width + b + 1] + Score.extra
            if choice.1 < extra { choice = (.extra, extra) }
          }
        }
        best[a * width + b] = choice.1
        moves[a * width + b] = choice.0
      }
    }
    var steps: [MatchResult.Step] = []
    var a = 0
    var b = 0
    var covered = 0
    while a < m || b < n {
      guard a < m else {
        steps.append(.extra(actual: actual[b]))
        b += 1
        continue
      }
      switch moves[a * width + b] {
      case .endEllipsis:
        let end = b < n ? actual[b] : (actual.last.map { $0 + 1 } ?? 0)
        steps.append(.ellipsis(expected: expected[a], actual: (end - covered)..<end))
        covered = 0
        a += 1
      case .cover:
        covered += 1
        b += 1
      case .replace:
        steps.append(pair(expected[a], actual[b]))
        a += 1
        b += 1
      case .drop:
        steps.append(.missing(expected: expected[a]))
        a += 1
      case .extra:
        steps.append(.extra(actual: actual[b]))
        b += 1
      }
    }
    return steps
  }

  /// Expected line `i` paired with actual line `j`: matched if they match, else replaced
  /// by the line ``written(_:for:)`` makes.
  func pair(_ i: Int, _ j: Int) -> MatchResult.Step {
    if comparison(i, j) == .match { return .matched(expected: i, actual: j) }
    return .replaced(expected: i, actual: j, written: Self.written(patterns[i], for: lines[j]))
  }

  /// The likeness of two lines that match: above that of any two that do not.
  static let matchLikeness = 2000

  // MARK: - The line written in place of another

  /// The line `--bless` writes for actual `line` in place of `pattern`: the actual line,
  /// except that the pattern's own timing tokens stay where they still fit their window,
  /// and its `[..]` and placeholders where they still stand between kept text (or at an
  /// end of the line). The result always matches `line`; when keeping anything would not,
  /// or the lines are too long to weigh, it is the actual line as printed.
  static func written(_ pattern: LinePattern, for line: OutputLine) -> String {
    let pieces = Piece.pieces(of: pattern)
    let units = line.units
    guard pieces.count * units.count <= 40_000 else { return line.text }
    let p = pieces.count
    let q = units.count
    let width = q + 1
    // kept[i * width + j]: the most pieces kept aligning pieces[i...] with units[j...].
    var kept = [Int](repeating: 0, count: (p + 1) * width)
    var choice = [(di: Int, dj: Int, keep: Bool)](
      repeating: (0, 1, false), count: (p + 1) * width)
    for i in stride(from: p, through: 0, by: -1) {
      for j in stride(from: q, through: 0, by: -1) {
        guard i < p || j < q else { continue }
        var best = (value: -1, di: 0, dj: 0, keep: false)
        func consider(_ di: Int, _ dj: Int, keep: Bool) {
          let value = kept[(i + di) * width + j + dj] + (keep ? 1 : 0)
          if value > best.value { best = (value, di, dj, keep) }
        }
        if i < p {
          // Longest first: of equal ways, a kept wildcard stands for all it can.
          if case .anyText = pieces[i] {
            for length in stride(from: q - j, through: 0, by: -1) {
              consider(1, length, keep: true)
            }
          } else {
            for length in pieces[i].lengths(in: units, at: j, pattern: pattern).reversed() {
              consider(1, length, keep: true)
            }
          }
          consider(1, 0, keep: false)
        }
        if j < q { consider(0, 1, keep: false) }
        kept[i * width + j] = best.value
        choice[i * width + j] = (best.di, best.dj, best.keep)
      }
    }
    // Walk the best alignment: what each piece became, and the units written as printed.
    var out: [(piece: Int?, kept: Bool, consumed: String)] = []
    var keptPiece = [Bool](repeating: false, count: p)
    var i = 0
    var j = 0
    while i < p || j < q {
      let move = choice[i * width + j]
      let consumed = units[j..<(j + move.dj)].map(\.text).joined()
      if move.di == 1 {
        out.append((i, move.keep, consumed))
        keptPiece[i] = move.keep
      } else {
        out.append((nil, false, consumed))
      }
      i += move.di
      j += move.dj
    }
    // A kept wildcard whose neighbouring pieces were not kept would assert nothing about
    // what changed (`=> [..]` in place of `=> [..]Error: [..]`): it is written as printed.
    var text = ""
    for entry in out {
      guard let index = entry.piece, entry.kept else {
        text += entry.consumed
        continue
      }
      let anchored =
        !pieces[index].isWildcard
        || ((index == 0 || keptPiece[index - 1]) && (index == p - 1 || keptPiece[index + 1]))
      text += anchored ? pieces[index].text : entry.consumed
    }
    guard text != line.text else { return text }
    let check = LinePattern(text, slack: pattern.slack, widening: pattern.widening)
    return check.compare(with: line) == .match ? text : line.text
  }
}

/// A line's words, for weighing how alike two lines are.
private struct Words {
  /// The words by number (``init(_:numbering:)``), a timing token as ``timeWord``;
  /// `[..]` and words holding it left out.
  let all: [Int]
  /// The same, sorted, for counting the words two lines share.
  let sorted: [Int]
  /// The first word that is not a time, and the one after it.
  let head: (first: Int?, second: Int?)

  /// The number of every timing token.
  static let timeWord = -1

  /// The words of `text`, each numbered by `dictionary` (a new word gets the next number).
  init(_ text: String, numbering dictionary: inout [String: Int]) {
    var all: [Int] = []
    for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
      let characters = Array(word)
      if let (_, end) = TimingToken.scan(characters, at: 0), end == characters.count {
        all.append(Self.timeWord)
      } else if !word.contains("[..]") {
        let next = dictionary.count
        all.append(dictionary[String(word), default: next])
        if dictionary[String(word)] == nil { dictionary[String(word)] = next }
      }
    }
    self.all = all
    sorted = all.sorted()
    let rest = all.drop { $0 == Self.timeWord }
    head = (rest.first, rest.dropFirst().first)
  }

  /// How alike two lines are, from 0 to 1000: 400 for the same kind of line (the same
  /// first word once a leading time is left out: `=>`, `enter`, `fired`, `print`), 200 more
  /// for the same second word too (the scope, or what is printed), and up to 400 for the
  /// share of words they have in common. Timing tokens count as one word `TIME`; `[..]`
  /// and words holding it are left out.
  func likeness(to other: Words) -> Int {
    var score = 0
    if let first = head.first, first == other.head.first {
      score += 400
      if let second = head.second, second == other.head.second { score += 200 }
    }
    let longer = max(all.count, other.all.count)
    guard longer > 0 else { return score + 400 }
    var common = 0
    var a = 0
    var b = 0
    while a < sorted.count, b < other.sorted.count {
      if sorted[a] == other.sorted[b] {
        common += 1
        a += 1
        b += 1
      } else if sorted[a] < other.sorted[b] {
        a += 1
      } else {
        b += 1
      }
    }
    return score + 400 * common / longer
  }
}

/// One part of an expected line as ``StretchAligner/written(_:for:)`` keeps or drops it.
private enum Piece {
  case character(Character)
  case timing(TimingToken, window: Int)
  case anyText
  case placeholder(Placeholder, name: [Character])

  static func pieces(of pattern: LinePattern) -> [Piece] {
    pattern.elements.compactMap { element in
      switch element {
      case .character(let character): .character(character)
      case .timing(let token, let window): .timing(token, window: window)
      case .anyText: .anyText
      case .placeholder(let placeholder, let name): .placeholder(placeholder, name: name)
      case .placeholderRest: nil
      }
    }
  }

  var isWildcard: Bool {
    switch self {
    case .anyText, .placeholder: true
    case .character, .timing: false
    }
  }

  /// The piece as written.
  var text: String {
    switch self {
    case .character(let character): String(character)
    case .timing(let token, _): token.text
    case .anyText: String(LinePattern.anyTextMarker)
    case .placeholder(_, let name): String(name)
    }
  }

  /// How many units from `start` the piece can stand for.
  func lengths(in units: [OutputLine.Unit], at start: Int, pattern: LinePattern) -> [Int] {
    let left = units.count - start
    switch self {
    case .character(let expected):
      guard left > 0, case .character(let actual) = units[start], actual == expected else {
        return []
      }
      return [1]
    case .timing(let expected, let window):
      guard left > 0, case .timing(let actual) = units[start], actual.unit == expected.unit,
        pattern.windows[window].contains(actual.seconds)
      else { return [] }
      return [1]
    case .anyText:
      return Array(0...left)
    case .placeholder(let placeholder, let name):
      var lengths: [Int] = []
      var length = 0
      while length < left, case .character(let actual) = units[start + length],
        placeholder.matches(actual)
      {
        length += 1
        lengths.append(length)
      }
      if left >= name.count,
        units[start..<(start + name.count)].map(\.text).joined() == String(name)
      {
        lengths.append(name.count)
      }
      return lengths.sorted()
    }
  }
}

extension OutputLine.Unit {
  /// The unit as printed.
  var text: String {
    switch self {
    case .character(let character): String(character)
    case .timing(let token): token.text
    }
  }
}
