import PosixThread
import Testing

@testable import ScopeLab

/// An expected timing token, an actual one, and whether they match.
struct WindowCase: Sendable, CustomTestStringConvertible {
  var expected: String
  var actual: String
  var matches: Bool
  var slack: Double

  init(_ expected: String, _ actual: String, _ matches: Bool, slack: Double = 1) {
    self.expected = expected
    self.actual = actual
    self.matches = matches
    self.slack = slack
  }

  var testDescription: String {
    "\(expected) against \(actual)\(slack == 1 ? "" : " at slack \(slack)"): \(matches)"
  }
}

/// An expected line, an actual line, and whether they match.
struct LineCase: Sendable, CustomTestStringConvertible {
  var expected: String
  var actual: String
  var matches: Bool

  init(_ expected: String, _ actual: String, _ matches: Bool) {
    self.expected = expected
    self.actual = actual
    self.matches = matches
  }

  var testDescription: String { "\(expected) against \(actual): \(matches)" }
}

/// Expected lines numbered from `first`, as a transcript's output block has them.
private func numbered(_ texts: [String], from first: Int = 10) -> [ExpectedLine] {
  texts.enumerated().map { ExpectedLine(text: $1, lineNumber: first + $0) }
}

private func match(_ expected: [String], _ actual: [String], slack: Double = 1) -> MatchResult {
  OutputMatcher(slack: slack).match(expected: numbered(expected), actual: actual)
}

@Suite struct TranscriptMatcherTests {
  // MARK: - Timing windows

  /// Each window just inside and just outside both edges, worked out by hand: lower =
  /// e - h - 0.020 (not below 0) rounded up to the millisecond, upper = e + h + F *
  /// max(0.15 e, 0.100) rounded down, h = half the last decimal's unit for one or two
  /// decimals of seconds, else 0.
  static let windows: [WindowCase] = [
    // 2s: 1.980 to 2.300 (the issue's example).
    .init("2s", "1.980s", true), .init("2s", "1.979s", false),
    .init("2s", "2.300s", true), .init("2s", "2.301s", false),
    .init("2s", "2s", true), .init("2s", "3s", false),
    // 2.001s: 1.981 to 2.301 (the issue's example).
    .init("2.001s", "1.981s", true), .init("2.001s", "1.980s", false),
    .init("2.001s", "2.301s", true), .init("2.001s", "2.302s", false),
    // Its late allowance is 300.15 ms, but the edges are whole milliseconds.
    .init("2.001s", "2.3011s", false),
    // 0.000s: 0 to 0.100.
    .init("0.000s", "0.000s", true), .init("0.000s", "0.100s", true),
    .init("0.000s", "0.101s", false),
    // 250ms: 230ms to 350ms.
    .init("250ms", "230ms", true), .init("250ms", "229ms", false),
    .init("250ms", "350ms", true), .init("250ms", "351ms", false),
    .init("250ms", "229.5ms", false), .init("250ms", "350.5ms", false),
    // 10s: 15% (1.5 s) is more than 100 ms: 9.980 to 11.500.
    .init("10s", "9.980s", true), .init("10s", "9.979s", false),
    .init("10s", "11.500s", true), .init("10s", "11.501s", false),
    // One decimal widens by 0.05 s: 1.5s is 1.430 to 1.775.
    .init("1.5s", "1.430s", true), .init("1.5s", "1.429s", false),
    .init("1.5s", "1.775s", true), .init("1.5s", "1.776s", false),
    // Two decimals by 0.005 s: 0.25s is 0.225 to 0.355.
    .init("0.25s", "0.225s", true), .init("0.25s", "0.224s", false),
    .init("0.25s", "0.355s", true), .init("0.25s", "0.356s", false),
    // 2.0s: 1.930 to 2.350.
    .init("2.0s", "1.930s", true), .init("2.0s", "1.929s", false),
    .init("2.0s", "2.350s", true), .init("2.0s", "2.351s", false),
    // The unit must be the same.
    .init("250ms", "0.250s", false), .init("2s", "2000ms", false),
    // Slack widens only the late side: 2s at slack 2 is 1.980 to 2.600.
    .init("2s", "2.600s", true, slack: 2), .init("2s", "2.601s", false, slack: 2),
    .init("2s", "1.980s", true, slack: 2), .init("2s", "1.979s", false, slack: 2),
    // 0.000s at slack 1.5: 0 to 0.150; 250ms at slack 3: 230ms to 550ms.
    .init("0.000s", "0.150s", true, slack: 1.5), .init("0.000s", "0.151s", false, slack: 1.5),
    .init("250ms", "550ms", true, slack: 3), .init("250ms", "551ms", false, slack: 3),
    .init("250ms", "229ms", false, slack: 3),
    // A slack below 1 counts as 1.
    .init("2s", "2.300s", true, slack: 0.5), .init("2s", "1.979s", false, slack: 0.5),
  ]

  @Test("timing windows at their edges", arguments: windows)
  func window(_ window: WindowCase) {
    let result = match(
      ["  \(window.expected)  fired timeout#1"], ["  \(window.actual)  fired timeout#1"],
      slack: window.slack)
    #expect(result.isMatch == window.matches)
  }

  @Test("the text around timing tokens must match exactly")
  func textAroundTokens() {
    let line = "TimeoutError: timeout(2s) expired after 2.000s"
    #expect(match([line], ["TimeoutError: timeout(2s) expired after 2.093s"]).isMatch)
    #expect(match([line], ["TimeoutError: timeout(2.2s) expired after 2.000s"]).isMatch)
    #expect(!match([line], ["TimeoutError: timeout(2s) expired after 2.000s."]).isMatch)
    #expect(!match([line], ["TimeoutError: timeout(2s) expired at 2.000s"]).isMatch)
    #expect(!match([line], ["TimeoutError: timeout(2s) expired after 2.000"]).isMatch)
    #expect(!match([line], ["TimeoutError: timeout(2s) expired after 2.000s 1s"]).isMatch)
  }

  @Test("what is a timing token")
  func tokens() {
    func tokens(_ text: String) -> [String] {
      OutputLine(text).units.compactMap {
        if case .timing(let token) = $0 { return token.text }
        return nil
      }
    }
    #expect(tokens("TimeoutError: timeout(2s) expired after 2.000s") == ["2s", "2.000s"])
    #expect(tokens("  2.001s  fired timeout#1: deadline now at 3.5s.") == ["2.001s", "3.5s"])
    #expect(tokens("sleep 250ms; x=1.5s,0s") == ["250ms", "1.5s", "0s"])
    #expect(tokens("1m30s v1.2s 2sec x2s 2s_ 1.s .5s 1.2.3s 2mss timeout#1 5min") == [])
    #expect(tokens("-1s") == ["1s"])
  }

  // MARK: - Timing problems

  @Test("one problem line per timing token outside its window")
  func timingProblems() {
    let late = match(
      ["a", "b", "c", "d", "  2.001s  fired timeout#1"],
      ["a", "b", "c", "d", "  2.412s  fired timeout#1"])
    #expect(!late.isMatch)
    #expect(
      late.timingProblems == ["line 14: 2.412s is late: the window for 2.001s is 1.981s to 2.301s"]
    )

    let both = match(
      ["TimeoutError: timeout(2s) expired after 2.000s"],
      ["TimeoutError: timeout(1.5s) expired after 2.5s"])
    #expect(
      both.timingProblems == [
        "line 10: 1.5s is early: the window for 2s is 1.980s to 2.300s",
        "line 10: 2.5s is late: the window for 2.000s is 1.980s to 2.300s",
      ])

    let milliseconds = match(["sleep 250ms"], ["sleep 400ms"], slack: 1.25)
    #expect(
      milliseconds.timingProblems == [
        "line 10: 400ms is late: the window for 250ms is 230ms to 375ms"
      ])

    let slack = match(["  2s x"], ["  2.5s x"], slack: 1.1)
    #expect(
      slack.timingProblems == ["line 10: 2.5s is late: the window for 2s is 1.980s to 2.330s"])
  }

  @Test("a line that differs in its text too has no timing problem, only a diff")
  func textAndTiming() {
    let result = match(["  2.001s  fired timeout#1"], ["  2.412s  fired timeout#2"])
    #expect(!result.isMatch)
    #expect(result.timingProblems.isEmpty)
    #expect(
      result.steps == [.replaced(expected: 0, actual: 0, written: "  2.412s  fired timeout#2")])
  }

  @Test("a late line is paired with its expected line even after an ellipsis")
  func timingAfterEllipsis() {
    let result = match(
      ["  0.000s  enter timeout#1", "...", "  2.001s  fired timeout#1", "=> ok"],
      ["  0.003s  enter timeout#1", "  0.5s print", "  2.500s  fired timeout#1", "=> ok"])
    #expect(
      result.steps == [
        .matched(expected: 0, actual: 0), .ellipsis(expected: 1, actual: 1..<2),
        .replaced(expected: 2, actual: 2, written: "  2.500s  fired timeout#1"),
        .matched(expected: 3, actual: 3),
      ])
    #expect(
      result.timingProblems == [
        "line 12: 2.500s is late: the window for 2.001s is 1.981s to 2.301s"
      ]
    )
  }

  // MARK: - [..] and placeholders

  static let wildcards: [LineCase] = [
    .init("[..]fired timeout#1", "  2.001s  fired timeout#1", true),
    .init("enter [..] at 3", "enter timeout#1 at 3", true),
    .init("=> TimeoutError: [..]", "=> TimeoutError: timeout(2s) expired after 2.000s", true),
    .init("[..]#[..]:[..]", "fired timeout#1: deadline", true),
    .init("a[..]b", "ab", true),
    .init("[..]", "", true),
    .init("[..]", "anything at all 2.5s", true),
    .init("a[..]b", "ac", false),
    .init("[..]x", "xy", false),
    .init("x[..]", "yx", false),
    .init("a[..]b[..]c", "a b", false),
    .init("[..]", "[..]", true),
    // Combined with timing tokens: the window still holds.
    .init("[..] after 2s", "x after 2.2s", true),
    .init("[..] after 2s", "x after 2.4s", false),
    .init("[..]2.000s[..]", "a 2.500s b 2.010s c", true),
    // A wildcard swallows whole timing tokens, never part of one.
    .init("[..]5s", "2.5s", false),
    // [PID]: one or more digits, or [PID] itself.
    .init("started process [PID]", "started process 4711", true),
    .init("started process [PID]", "started process [PID]", true),
    .init("started process [PID]", "started process ", false),
    .init("started process [PID]", "started process abc", false),
    .init("started process [PID]", "started process 12a", false),
    .init("pid=[PID] status", "pid=7 status", true),
    .init("[PID] and [PID]", "12 and 345", true),
    .init("[..]pid [PID]: exited(3)", "  0.104s  reaped pid 98765: exited(3)", true),
    .init("[..]pid [PID]: exited(3)", "  0.104s  reaped pid 98765: exited(4)", false),
  ]

  @Test("[..] and placeholders", arguments: wildcards)
  func wildcard(_ line: LineCase) {
    #expect(match([line.expected], [line.actual]).isMatch == line.matches)
  }

  @Test("an out-of-window token behind [..] is reported")
  func wildcardTiming() {
    let result = match(
      ["[..]expired after 2.000s"], ["TimeoutError: timeout(2s) expired after 2.500s"])
    #expect(
      result.timingProblems == [
        "line 10: 2.500s is late: the window for 2.000s is 1.980s to 2.300s"
      ]
    )
  }

  // MARK: - ...

  @Test("... matches zero lines")
  func ellipsisZero() {
    let result = match(["a", "...", "b"], ["a", "b"])
    #expect(result.isMatch)
    #expect(
      result.steps == [
        .matched(expected: 0, actual: 0), .ellipsis(expected: 1, actual: 1..<1),
        .matched(expected: 2, actual: 1),
      ])
  }

  @Test("... matches many lines")
  func ellipsisMany() {
    let result = match(["a", "...", "b"], ["a", "x", "y", "z", "b"])
    #expect(result.isMatch)
    #expect(
      result.steps == [
        .matched(expected: 0, actual: 0), .ellipsis(expected: 1, actual: 1..<4),
        .matched(expected: 2, actual: 4),
      ])
    #expect(result.matchedActualLines == [0, nil, 4])
  }

  @Test("... at the start, at the end, alone, twice, with spaces")
  func ellipsisPlaces() {
    #expect(match(["...", "b"], ["x", "b"]).isMatch)
    #expect(match(["a", "..."], ["a", "x", "y"]).isMatch)
    #expect(match(["a", "..."], ["a"]).isMatch)
    #expect(match(["..."], []).isMatch)
    #expect(match(["..."], ["x", "y"]).isMatch)
    #expect(match(["...", "b", "...", "d"], ["a", "b", "c", "b", "d"]).isMatch)
    #expect(match(["...", "b", "...", "b"], ["b", "b"]).isMatch)
    #expect(!match(["...", "b", "...", "b"], ["b"]).isMatch)
    #expect(match(["  ...  ", "b"], ["x", "b"]).isMatch)
    #expect(!match(["x...", "b"], ["x", "b"]).isMatch)
    #expect(!match([". . .", "b"], ["x", "b"]).isMatch)
    #expect(!match(["a", "...", "c"], ["a", "b"]).isMatch)
    #expect(!match(["a", "..."], ["b"]).isMatch)
  }

  @Test("... covers as few lines as it can and still lets what follows match")
  func ellipsisLazy() {
    let result = match(["...", "b"], ["b", "b"])
    #expect(
      result.steps == [.ellipsis(expected: 0, actual: 0..<1), .matched(expected: 1, actual: 1)])
    let twice = match(["...", "b", "...", "b"], ["b", "x", "b", "b"])
    #expect(
      twice.steps == [
        .ellipsis(expected: 0, actual: 0..<0), .matched(expected: 1, actual: 0),
        .ellipsis(expected: 2, actual: 1..<3), .matched(expected: 3, actual: 3),
      ])
  }

  // MARK: - Exact lines and bless

  @Test("everything else must be equal")
  func exactLines() {
    #expect(match([], []).isMatch)
    #expect(match(["=> ok"], ["=> ok"]).isMatch)
    #expect(!match(["=> ok"], ["=> ok "]).isMatch)
    #expect(!match(["=> ok"], []).isMatch)
    #expect(!match([], ["=> ok"]).isMatch)
    #expect(!match(["=> ok"], ["=> ok", "=> ok"]).isMatch)
  }

  @Test("bless keeps lines that match as written and rewrites the others")
  func bless() {
    let expected = numbered([
      "  0.000s  enter timeout#1", "[..]print hello", "...", "  2.001s  fired timeout#1",
      "gone", "=> ok",
    ])
    let actual = [
      "  0.003s  enter timeout#1", "  0.100s  print hello", "x", "y", "  2.600s  fired timeout#1",
      "=> ok", "new",
    ]
    let result = OutputMatcher().match(expected: expected, actual: actual)
    #expect(
      result.blessedLines(expected: expected, actual: actual) == [
        "  0.000s  enter timeout#1", "[..]print hello", "...", "  2.600s  fired timeout#1", "=> ok",
        "new",
      ])
    #expect(result.matchedActualLines == [0, 1, nil, nil, nil, 5])
    #expect(result.lineCountChange == 0)
  }

  // MARK: - The diff

  /// Worked out by hand: lines 10 to 13 match (10 within its window, 12 through `[..]`,
  /// 13 covering one line), 14 to 16 are late, and one line is new.
  @Test("a mismatch's unified diff, numbered by the file's lines")
  func diff() {
    let expected = numbered([
      "  0.000s  enter timeout#1",
      "  0.000s  enter task#2",
      "[..]print hello",
      "...",
      "  2.001s  fired timeout#1",
      "  2.002s  exit task#2",
      "=> TimeoutError: timeout(2s) expired after 2.001s",
    ])
    let actual = [
      "  0.001s  enter timeout#1",
      "  0.000s  enter task#2",
      "  0.500s  print hello",
      "  1.000s  print hello",
      "  2.412s  fired timeout#1",
      "  2.413s  exit task#2",
      "  2.414s  exit task#2 done",
      "=> TimeoutError: timeout(2s) expired after 2.414s",
    ]
    let result = OutputMatcher().match(expected: expected, actual: actual)
    #expect(!result.isMatch)
    let diff = UnifiedDiff.render(
      expected: expected, actual: actual, result: result, fileName: "lesson.md")
    #expect(
      diff == """
        --- lesson.md
        +++ lesson.md.actual
        @@ -11,6 +11,7 @@
           0.000s  enter task#2
         [..]print hello
         ...
        -  2.001s  fired timeout#1
        -  2.002s  exit task#2
        -=> TimeoutError: timeout(2s) expired after 2.001s
        +  2.412s  fired timeout#1
        +  2.413s  exit task#2
        +  2.414s  exit task#2 done
        +=> TimeoutError: timeout(2s) expired after 2.414s

        """)
    #expect(
      result.timingProblems == [
        "line 14: 2.412s is late: the window for 2.001s is 1.981s to 2.301s",
        "line 15: 2.413s is late: the window for 2.002s is 1.982s to 2.302s",
        "line 16: 2.414s is late: the window for 2.001s is 1.981s to 2.301s",
      ])
    #expect(result.lineCountChange == 1)
  }

  @Test("changes far apart get their own hunks; the plus side counts the lines before")
  func diffHunks() {
    let expected = numbered(["a", "b", "c", "d", "e", "f", "g"], from: 20)
    let actual = ["a", "B", "c", "d", "e", "g", "h"]
    let result = OutputMatcher().match(expected: expected, actual: actual)
    let hunks = """
      @@ -20,3 +20,3 @@
       a
      -b
      +B
       c
      @@ -24,3 +24,3 @@
       e
      -f
       g
      +h

      """
    #expect(
      UnifiedDiff.render(
        expected: expected, actual: actual, result: result, fileName: "t.md", context: 1)
        == "--- t.md\n+++ t.md.actual\n" + hunks)
    #expect(
      UnifiedDiff.hunks(
        expected: expected, actual: actual, result: result, context: 1, lineShift: 2)
        == hunks.replacing("+20,3", with: "+22,3").replacing("+24,3", with: "+26,3"))
    // With three lines of context the two changes share one hunk.
    #expect(
      UnifiedDiff.hunks(expected: expected, actual: actual, result: result).hasPrefix(
        "@@ -20,7 +20,7 @@\n a\n-b\n+B\n c\n d\n e\n-f\n g\n+h\n"))
  }

  @Test("a diff where one side has no lines")
  func diffEmptySide() {
    let none = OutputMatcher().match(expected: [], actual: ["x", "y"])
    #expect(
      UnifiedDiff.hunks(expected: [], actual: ["x", "y"], result: none, outputStartLine: 30)
        == "@@ -29,0 +30,2 @@\n+x\n+y\n")
    let expected = numbered(["gone"])
    let gone = OutputMatcher().match(expected: expected, actual: [])
    #expect(
      UnifiedDiff.hunks(expected: expected, actual: [], result: gone) == "@@ -10 +9,0 @@\n-gone\n")
  }

  @Test("output that matches has an empty diff")
  func diffWhenMatching() {
    let expected = numbered(["a", "...", "  2s"])
    let actual = ["a", "b", "  2.1s"]
    let result = OutputMatcher().match(expected: expected, actual: actual)
    #expect(result.isMatch)
    #expect(
      UnifiedDiff.render(expected: expected, actual: actual, result: result, fileName: "f") == "")
  }

  // MARK: - Pathological inputs

  @Test("many ... lines and long lines of [..] finish fast")
  func pathological() {
    // CPU time of this thread (the matcher is synchronous), not wall time: a busy
    // machine or the tests running beside this one do not count.
    let start = Syscall.threadCPUTime()
    do {
      // A backtracking matcher tries every way to share 1000 lines among 300 ellipses.
      let ellipses = Array(repeating: ["...", "x"], count: 300).flatMap { $0 } + ["y"]
      let lines = Array(repeating: "x", count: 1000)
      #expect(!match(ellipses, lines).isMatch)
      #expect(match(ellipses, lines + ["y"]).isMatch)

      // And every way to share 600 characters among 150 `[..]` (the line has every
      // character the pattern asks for, in order, so no quick test rules it out).
      let stars = String(repeating: "[..]a", count: 150) + "b"
      let text = String(repeating: "a", count: 600) + "b"
      #expect(!match([stars], [text + "x"]).isMatch)
      #expect(match([stars], [text]).isMatch)

      // Both at once: 20 such lines, each against 100 lines.
      let pattern = Array(repeating: "[..]a[..]a[..]a[..]c", count: 20)
      let many = Array(repeating: String(repeating: "a", count: 40) + "cx", count: 100)
      #expect(!match(pattern, many).isMatch)
    }
    let spent = Syscall.threadCPUTime() - start
    #expect(spent < .seconds(20), "\(spent) of CPU time")
  }
}
