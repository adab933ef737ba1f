import Testing

@testable import ScopeLab

/// A failed check shows what was printed where an expected line no longer matches, and
/// `--bless` writes that line in its place: it never loses an assertion next to a `...`.
@Suite struct TranscriptBlessTests {
  private func numbered(_ texts: [String]) -> [ExpectedLine] {
    texts.enumerated().map { ExpectedLine(text: $1, lineNumber: 10 + $0) }
  }

  /// The result, the diff and the blessed lines for `expected` against `actual`.
  private func check(_ expected: [String], _ actual: [String]) -> (
    result: MatchResult, diff: String, blessed: [String]
  ) {
    let lines = numbered(expected)
    let result = OutputMatcher().match(expected: lines, actual: actual)
    let diff = UnifiedDiff.render(expected: lines, actual: actual, result: result, fileName: "f")
    return (result, diff, result.blessedLines(expected: lines, actual: actual))
  }

  private func matches(_ expected: [String], _ actual: [String]) -> Bool {
    OutputMatcher().match(expected: numbered(expected), actual: actual).isMatch
  }

  /// A timeout's run as `run timeout 0.1 { sleep 0.5 }` prints it.
  private let timedOut = [
    "  0.000s  enter timeout#1",
    "  0.100s    fired timeout#1: deadline passed, cancelling its body",
    "  0.101s  exit timeout#1 (received CancellationError, expired)",
    "  0.101s  exit-done timeout#1: CancellationError -> TimeoutError (deadline passed, TO3)",
    "  0.101s  => TimeoutError: timeout(100ms) expired after 0.100s",
  ]

  @Test("an outcome after ... that changed shows the new outcome, and bless writes it there")
  func outcomeAfterEllipsis() {
    let (result, diff, blessed) = check(["...", "  0.0[..]s  => ok"], timedOut)
    #expect(!result.isMatch)
    #expect(
      diff.contains(
        "\n-  0.0[..]s  => ok\n+  0.101s  => TimeoutError: timeout(100ms) expired after 0.100s\n"))
    #expect(blessed == ["...", timedOut[4]])
    #expect(matches(blessed, timedOut))
  }

  @Test("an outcome between two ... lines is replaced by the outcome, not a trace line")
  func outcomeBetweenEllipses() {
    let actual = timedOut + ["audit: ok - 1 exit ran once"]
    let (_, diff, blessed) = check(["...", "=> ok", "..."], actual)
    #expect(blessed == ["...", timedOut[4], "..."])
    #expect(diff.contains("+" + timedOut[4]))
    #expect(matches(blessed, actual))
  }

  @Test("a line after ... that changed is replaced by the line of the same event")
  func changedLineAfterEllipsis() {
    let actual = [
      "  0.000s  enter timeout#1", "  0.001s  print start", "  0.100s  print finished", "=> ok",
    ]
    let (_, _, blessed) = check(
      ["  0.000s  enter timeout#1", "...", "  0.100s  print done", "=> ok"], actual)
    #expect(blessed == ["  0.000s  enter timeout#1", "...", "  0.100s  print finished", "=> ok"])
  }

  @Test("several changed lines inside one ... stretch each find their own line")
  func severalChangedLines() {
    let (_, _, blessed) = check(
      [
        "...", "  0.100s    fired timeout#2: deadline passed, cancelling its body",
        "  0.101s  exit timeout#2 (received CancellationError, expired)", "...",
      ], timedOut)
    #expect(blessed == ["...", timedOut[1], timedOut[2], "..."])
  }

  @Test("a replaced line keeps its own [..] and timings where they still match")
  func keepsWildcards() {
    // Only the word after [..] changed: the time and the [..] still hold.
    let (_, _, kept) = check(
      ["...", "  0.100s  print [..] done"], ["  0.000s  enter a", "  0.102s  print all gone"])
    #expect(kept == ["...", "  0.100s  print [..] gone"])
    // A [..] whose neighbours changed is not kept: `=> [..]` would assert nothing.
    let (_, _, outcome) = check(["...", "=> [..]Error: [..]"], ["  0.000s  enter a", "=> ok"])
    #expect(outcome == ["...", "=> ok"])
    // A time outside its window is written as printed.
    let (_, _, late) = check(["  1.000s  print x [..]"], ["  1.900s  print x y"])
    #expect(late == ["  1.900s  print x [..]"])
  }

  @Test("[..] may stand inside a timing token")
  func wildcardInsideToken() {
    #expect(matches(["  0.0[..]s  => ok"], ["  0.056s  => ok"]))
    #expect(!matches(["  0.0[..]s  => ok"], ["  1.056s  => ok"]))
    #expect(matches(["  0.0[..]s  fired after 2.001s"], ["  0.056s  fired after 2.050s"]))
    #expect(!matches(["  0.0[..]s  fired after 2.001s"], ["  0.056s  fired after 2.900s"]))
  }

  @Test("a line is dropped only where the output has no line left between its neighbours")
  func droppedOnlyWhenNothingIsLeft() {
    let (_, _, blessed) = check(["=> ok", "audit: ok"], ["=> ok"])
    #expect(blessed == ["=> ok"])
    // The last line is gone: what the ellipsis covers before `b` does not take its place
    // (that would show `b` itself as changed).
    let actual = ["a", "p", "q", "b"]
    let (_, diff, gone) = check(["a", "...", "b", "c"], actual)
    #expect(gone == ["a", "...", "b"])
    #expect(diff.hasSuffix(" b\n-c\n"), "\(diff)")
    // Two lines changed inside one stretch with one printed line: the one most like it.
    let (_, _, one) = check(
      ["...", "  0.100s  print done", "  0.200s  => ok"], ["  0.100s  print done!", "=> Oops"])
    #expect(one == ["...", "  0.100s  print done!", "=> Oops"])
  }

  @Test("a long stretch that changed whole is lined up in polynomial time")
  func longStretch() {
    let expected = ["..."] + (0..<800).map { "  0.\($0 % 1000)s  print line \($0) [..]" }
    let actual = (0..<800).map { "  1.\($0 % 1000)s  exit other\($0)#1 (received none)" }
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      let (result, _, blessed) = check(expected, actual)
      #expect(!result.isMatch)
      #expect(blessed.count == 801)
      #expect(matches(blessed, actual))
    }
    // About 2 x 800 x 800 line comparisons; a search through the ways to share the lines
    // would not end.
    #expect(elapsed < .seconds(60), "took \(elapsed)")
  }

  // MARK: - Random cases

  /// Lines from real traces and session output.
  private static let pool = [
    "  0.000s  enter timeout#1",
    "  0.100s    fired timeout#1: deadline passed, cancelling its body",
    "  0.101s  exit timeout#1 (received CancellationError, expired)",
    "  0.101s  exit-done timeout#1: CancellationError -> TimeoutError (deadline passed, TO3)",
    "  0.101s  => TimeoutError: timeout(100ms) expired after 0.100s",
    "  0.000s  enter group#1",
    "  0.050s  print hello",
    "  0.250s  print done",
    "  0.002s    started pid [PID]: sleep 10",
    "  1.003s  exit-done group#1: ok",
    "  1.004s  => ok",
    "=> ok",
    "challenge solved",
    "audit: ok - 1 exit ran once",
    "timeline  0            25ms          50ms",
    "",
  ]

  /// `line` with a random word replaced by `[..]`, or a time changed.
  private func vary(_ line: String, _ random: inout SeededRandom) -> String {
    var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    guard !words.isEmpty else { return line }
    let index = Int.random(in: 0..<words.count, using: &random)
    switch Int.random(in: 0..<3, using: &random) {
    case 0: words[index] = "[..]"
    case 1: words[index] += "[..]"
    default:
      if words[index].hasSuffix("s"), words[index].first?.isNumber == true {
        words[index] =
          "\(Int.random(in: 0...3, using: &random)).\(Int.random(in: 100...999, using: &random))s"
      }
    }
    return words.joined(separator: " ")
  }

  @Test("bless of random cases matches the output and keeps its assertions", arguments: 0..<400)
  func randomBless(seed: Int) {
    var random = SeededRandom(seed: UInt64(seed) &* 7919 &+ 17)
    let pool = Self.pool
    let actual = (0..<Int.random(in: 0...8, using: &random)).map { _ in
      pool.randomElement(using: &random)!
    }
    // The expected lines: the actual ones edited, with `...` and `[..]` sprinkled in.
    var expected: [String] = []
    var index = 0
    while index < actual.count || Bool.random(using: &random) && expected.count < 10 {
      let roll = Int.random(in: 0..<10, using: &random)
      if index >= actual.count || roll == 0 {
        expected.append(
          Bool.random(using: &random) ? "..." : pool.randomElement(using: &random)!)
        if index >= actual.count { break }
        continue
      }
      switch roll {
      case 1: index += 1  // dropped
      case 2:
        expected.append("...")
        index += Int.random(in: 0...3, using: &random)
      case 3:
        expected.append(pool.randomElement(using: &random)!)
        index += 1
      case 4:
        expected.append(vary(actual[index], &random))
        index += 1
      default:
        expected.append(actual[index])
        index += 1
      }
    }
    let (result, diff, blessed) = check(expected, actual)
    let description = "expected \(expected), actual \(actual), blessed \(blessed)"
    #expect(matches(blessed, actual), "\(description)")
    // Every expected line matched, was replaced one for one, or was dropped where no
    // actual line was left for it: in its stretch (between lines that pair up) no `...`
    // covers a line and no line is new.
    var stretch: [MatchResult.Step] = []
    func endStretch() {
      let dropped = stretch.contains {
        if case .missing = $0 { return true }
        return false
      }
      let spare = stretch.contains {
        switch $0 {
        case .extra: true
        case .ellipsis(_, let covered): !covered.isEmpty
        default: false
        }
      }
      #expect(!(dropped && spare), "\(description): \(stretch)")
      stretch = []
    }
    for step in result.steps {
      switch step {
      case .matched:
        endStretch()
      case .replaced(let line, let printed, let written):
        #expect(blessed.contains(written))
        #expect(expected[line] != "...")
        // A line changed only in its timing pairs up like a match.
        let timingOnly = LinePattern(expected[line], slack: 1).compare(
          with: OutputLine(actual[printed]))
        if case .timingOnly = timingOnly { endStretch() } else { stretch.append(step) }
      default:
        stretch.append(step)
      }
    }
    endStretch()
    // A failing check shows a `+` line for every line printed in place of another or new;
    // without one, the only change is lines the output no longer has (checked above).
    let printed = result.steps.count {
      switch $0 {
      case .extra, .replaced: true
      default: false
      }
    }
    let plus = diff.split(separator: "\n", omittingEmptySubsequences: false).count {
      $0.hasPrefix("+") && !$0.hasPrefix("+++")
    }
    #expect(plus == printed, "\(description)\n\(diff)")
    if !result.isMatch && printed == 0 {
      #expect(result.steps.contains { if case .missing = $0 { true } else { false } })
    }
    // Bless twice changes nothing more.
    let again = check(blessed, actual)
    #expect(again.result.isMatch)
  }
}
