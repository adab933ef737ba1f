/// How a command's new output compares with the output its transcript recorded.
///
/// ``steps`` walks both in order: every expected line appears in exactly one step, and so
/// does every actual line (an ellipsis's step holds the actual lines it covered). That is
/// what `--bless` needs to rewrite only the lines that no longer match
/// (``blessedLines(expected:actual:)``), and what ``UnifiedDiff`` shows.
public struct MatchResult: Sendable, Equatable {
  /// One step of the walk; indices are into the `expected` and `actual` arrays given to
  /// ``OutputMatcher/match(expected:actual:)``.
  public enum Step: Sendable, Equatable {
    /// Expected line `expected` matches actual line `actual`, exactly or through `[..]`,
    /// a placeholder or timing windows.
    case matched(expected: Int, actual: Int)
    /// Expected line `expected` is `...` and covers the actual lines `actual` (maybe none).
    case ellipsis(expected: Int, actual: Range<Int>)
    /// Expected line `expected` no longer matches, and actual line `actual` takes its
    /// place: the diff shows the first as `-` and `written` as `+`; `--bless` writes
    /// `written`, the actual line with the expected line's own timing tokens, `[..]` and
    /// placeholders kept where they still match (``StretchAligner``).
    case replaced(expected: Int, actual: Int, written: String)
    /// Expected line `expected` matches no actual line, and none is left to take its
    /// place: the diff shows it as `-`, and `--bless` drops it.
    case missing(expected: Int)
    /// Actual line `actual` matches no expected line: the diff shows it as `+`.
    case extra(actual: Int)
  }

  /// Whether the new output matches: no step is `replaced`, `missing` or `extra`.
  public var isMatch: Bool
  /// The walk through both, in order.
  public var steps: [Step]
  /// One sentence per timing token outside its window, for expected lines that would
  /// match but for their timing: `line 14: 2.412s is late: the window for 2.001s is
  /// 1.981s to 2.301s`.
  public var timingProblems: [String]

  /// A result made of its parts, as ``OutputMatcher/match(expected:actual:)`` makes it.
  public init(isMatch: Bool, steps: [Step], timingProblems: [String]) {
    self.isMatch = isMatch
    self.steps = steps
    self.timingProblems = timingProblems
  }

  /// For each expected line, the actual line it matched, or nil (an ellipsis, or a line
  /// that matched none).
  public var matchedActualLines: [Int?] {
    var matched: [Int?] = []
    for step in steps {
      switch step {
      case .matched(_, let actual): matched.append(actual)
      case .ellipsis, .missing, .replaced: matched.append(nil)
      case .extra: continue
      }
    }
    return matched
  }

  /// How many more lines the blessed output has than the expected output: the `extra`
  /// steps less the `missing` ones.
  public var lineCountChange: Int {
    var change = 0
    for step in steps {
      switch step {
      case .missing: change -= 1
      case .extra: change += 1
      case .matched, .ellipsis, .replaced: continue
      }
    }
    return change
  }

  /// The lines `--bless` writes in place of `expected`: a line that matches (and every
  /// `...`) is kept as written, with its `[..]`, placeholders and timings; a `replaced`
  /// line is written as its replacement; a `missing` line is dropped; an `extra` line is
  /// written as the command printed it.
  public func blessedLines(expected: [ExpectedLine], actual: [String]) -> [String] {
    var lines: [String] = []
    for step in steps {
      switch step {
      case .matched(let index, _), .ellipsis(let index, _): lines.append(expected[index].text)
      case .replaced(_, _, let written): lines.append(written)
      case .missing: continue
      case .extra(let index): lines.append(actual[index])
      }
    }
    return lines
  }
}
