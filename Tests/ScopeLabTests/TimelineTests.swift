import AsyncScope
import Testing

@testable import ScopeLab

/// Events built by hand, at exact times.
private enum Run {
  static func scope(_ name: String, _ ordinal: Int = 1, depth: Int = 0) -> ScopeIdentity {
    ScopeIdentity(name: name, id: "\(name)#\(ordinal)", depth: depth)
  }

  static func at(_ milliseconds: Double, _ scope: ScopeIdentity?, _ kind: TraceEvent.Kind)
    -> TraceEvent
  {
    TraceEvent(
      time: .microseconds(Int((milliseconds * 1000).rounded())), scope: scope,
      depth: scope?.depth ?? 0, kind: kind)
  }

  static func result(_ milliseconds: Double, _ outcome: String = "ok") -> TraceEvent {
    at(milliseconds, nil, .result(outcome: outcome, value: nil, context: nil, detail: nil))
  }

  /// `runner { scope A(slow-exit=0.5) { sleep 0.1 } }` over exactly 1 s: A's body ends at
  /// 100 ms, its exit at 600 ms; the runner's exit returns at 1 s.
  static let slowExit: [TraceEvent] = {
    let runner = scope("runner")
    let a = scope("A", depth: 1)
    return [
      at(0, runner, .enter),
      at(0, a, .enter),
      at(100, a, .exit(error: nil, expired: nil)),
      at(600, a, .exitDone(error: nil, step: nil)),
      at(900, runner, .exit(error: nil, expired: nil)),
      at(1000, runner, .exitDone(error: nil, step: nil)),
      result(1000),
    ]
  }()

  /// `timeout 2 { sleep 3 }` ending at 2.001 s.
  static let timedOut: [TraceEvent] = {
    let timeout = scope("timeout")
    return [
      at(0, timeout, .enter),
      at(2000, timeout, .fired),
      at(2001, timeout, .exit(error: "CancellationError", expired: true)),
      at(2001, timeout, .exitDone(error: "TimeoutError", step: .converted)),
      result(2001, "TimeoutError"),
    ]
  }()

  /// Wide, emoji, very long and control-character labels, and a long outcome.
  static let awkward: [TraceEvent] = {
    let japanese = scope("タイムアウト")
    let rocket = scope("🚀launch", depth: 1)
    let long = scope("averyveryverylongnamethatgoesonandon", depth: 2)
    let escape = scope("bad\u{1B}[31m", depth: 1)
    return [
      at(0, japanese, .enter),
      at(0, rocket, .enter),
      at(10, long, .enter),
      at(20, long, .exit(error: "CancellationError", expired: nil)),
      at(30, long, .exitDone(error: "ExitError", step: .raised(replacing: "CancellationError"))),
      at(30, rocket, .exit(error: "ExitError", expired: nil)),
      at(40, rocket, .exitDone(error: "ExitError", step: nil)),
      at(40, escape, .enter),
      at(41, escape, .exit(error: "Key\nError", expired: nil)),
      at(42, escape, .exitDone(error: "Key\nError", step: nil)),
      at(50, japanese, .exit(error: "ExitError", expired: nil)),
      at(60, japanese, .exitDone(error: "ExitError", step: nil)),
      result(60, "ExitError"),
    ]
  }()
}

/// The column where `character` first appears in `line`, in display columns.
private func column(of character: Character, in line: String) -> Int? {
  guard let index = line.firstIndex(of: character) else { return nil }
  return String(line[..<index]).displayWidth
}

private func spaces(_ count: Int) -> String {
  String(repeating: " ", count: count)
}

/// The line of the bar whose label (indentation aside) starts with `label`.
private func bar(_ label: String, in lines: [String]) -> String? {
  lines.first { $0.drop { $0 == " " }.hasPrefix(label) }
}

@Suite("Timeline")
struct TimelineTests {
  static let widths = [60, 80, 120, 200]

  // MARK: - Axis

  @Test(
    "tick labels",
    arguments: [
      (0, "0"), (2500, "2.5ms"), (10_000, "10ms"), (250_000, "250ms"), (1_000_000, "1s"),
      (1_500_000, "1.5s"), (12_500_000, "12.5s"), (90_000_000, "1m30s"), (120_000_000, "2m"),
    ])
  func tickLabel(microseconds: Int, label: String) {
    #expect(TimelineAxis.label(microseconds: microseconds) == label)
  }

  @Test("ticks at round values: a 1 s run, a 2.001 s run, a 0.2 ms run")
  func roundTicks() {
    let a = Run.scope("A")
    let tiny = [Run.at(0, a, .enter), Run.at(0.2, a, .exitDone(error: nil, step: nil))]
    let cases: [([TraceEvent], [String])] = [
      (Run.slowExit, ["0", "250ms", "500ms", "750ms", "1s"]),
      (Run.timedOut, ["0", "500ms", "1s", "1.5s", "2s"]),
      (tiny, ["0", "2.5ms", "5ms", "7.5ms", "10ms"]),
    ]
    for (events, ticks) in cases {
      let axis = Timeline(events: events, width: 80).render()[0]
      #expect(axis.split(separator: " ").map(String.init) == ["timeline"] + ticks, "\(axis)")
    }
  }

  @Test("each tick's label starts at its time's column: 1 s at the end of the 1 s bar")
  func ticksLineUpWithBars() throws {
    for width in Self.widths {
      let lines = Timeline(events: Run.slowExit, width: width).render()
      let runner = try #require(bar("runner#1", in: lines))
      let end = try #require(column(of: "]", in: runner))
      let oneSecond = try #require(lines[0].displayColumn(of: " 1s"))
      #expect(oneSecond + 1 == end, "\(width)")
    }
  }

  @Test("a 0.2 ms run: the 10 ms axis, the bar a narrow [] at the left")
  func tinyRun() {
    let a = Run.scope("A")
    let events = [
      Run.at(0, a, .enter), Run.at(0.1, a, .exit(error: nil, expired: nil)),
      Run.at(0.2, a, .exitDone(error: nil, step: nil)), Run.result(0.2),
    ]
    let lines = Timeline(events: events, width: 80).render()
    // 64 axis columns over 10 ms: the ticks at columns 0, 16, 32, 47 and 63.
    let axis =
      "timeline 0" + spaces(15) + "2.5ms" + spaces(11) + "5ms" + spaces(12) + "7.5ms"
      + spaces(11) + "10ms"
    #expect(lines == [axis, "A#1      []", "[ enter  ] exit done"])
  }

  // MARK: - Bars

  @Test("a bar runs from enter to exit-done, the exit part drawn with -")
  func barEndsAtExitDone() throws {
    let lines = Timeline(events: Run.slowExit, width: 80).render()
    // 9 label columns, then 64 axis columns over 1 s: 100 ms is column 6, 600 ms column
    // 38, 900 ms column 57, 1 s column 63.
    #expect(lines[1] == "runner#1 [" + String(repeating: "=", count: 57) + "-----]")
    #expect(
      lines[2] == "  A#1    [" + String(repeating: "=", count: 6)
        + String(repeating: "-", count: 31) + "]")
    #expect(lines[3] == "[ enter  = body  - exit  ] exit done")
    for width in Self.widths {
      let lines = Timeline(events: Run.slowExit, width: width).render()
      let runner = try #require(bar("runner#1", in: lines))
      let a = try #require(bar("A#1", in: lines))
      let start = try #require(column(of: "[", in: a))
      let runnerEnd = try #require(column(of: "]", in: runner)) - start
      let aEnd = try #require(column(of: "]", in: a)) - start
      // A's exit returns at 0.6 of the run.
      #expect(aEnd == Int((0.6 * Double(runnerEnd)).rounded()), "\(width): \(a)")
    }
  }

  @Test("the error an exit raises is on that scope's own bar; what passes on has its name")
  func exitRaises() throws {
    let runner = Run.scope("runner")
    let a = Run.scope("A", depth: 1)
    let events = [
      Run.at(0, runner, .enter), Run.at(0, a, .enter),
      Run.at(5, a, .exit(error: nil, expired: nil)),
      Run.at(5, a, .exitDone(error: "ExitError", step: .raised(replacing: nil))),
      Run.at(6, runner, .exit(error: "ExitError", expired: nil)),
      Run.at(7, runner, .exitDone(error: "ExitError", step: nil)), Run.result(7, "ExitError"),
    ]
    let lines = Timeline(events: events, width: 80).render()
    let aLine = try #require(bar("A#1", in: lines))
    #expect(aLine.hasSuffix("=x ExitError (raised by exit)"), "\(aLine)")
    let runnerLine = try #require(bar("runner#1", in: lines))
    #expect(runnerLine.hasSuffix("-x ExitError"), "\(runnerLine)")
    #expect(lines.last == "[ enter  = body  - exit  x error")
  }

  @Test(
    "what leaves each scope, after its bar",
    arguments: [
      (
        TraceEvent.Kind.exitDone(error: "TimeoutError", step: .converted), "TimeoutError",
        Character("x")
      ),
      (.exitDone(error: "CancellationError", step: nil), "CancellationError", "c"),
      (
        .exitDone(error: "CancellationError", step: .passedOn(because: .callerCancelled)),
        "CancellationError", "c"
      ),
      (
        .exitDone(error: "CancellationError", step: .suppressRefused),
        "CancellationError (suppress refused)", "c"
      ),
      (.exitDone(error: "KeyError", step: nil), "KeyError", "x"),
      (
        .exitDone(error: "ExitError", step: .raised(replacing: "KeyError")),
        "ExitError (raised by exit, replacing KeyError)", "x"
      ),
      (
        .exitDone(error: "TimeoutError", step: .exitConverted(replacing: "KeyError")),
        "TimeoutError (converted by exit from KeyError)", "x"
      ),
    ])
  func outcomes(done: TraceEvent.Kind, text: String, closing: Character) throws {
    let a = Run.scope("A")
    let events = [
      Run.at(0, a, .enter), Run.at(10, a, .exit(error: "CancellationError", expired: nil)),
      Run.at(20, a, done), Run.result(20, "x"),
    ]
    let line = Timeline(events: events, width: 120).render()[1]
    #expect(line.hasSuffix("-\(closing) \(text)"), "\(line)")
  }

  @Test("a timeout that converted: F where it fired, x and TimeoutError at its end")
  func converted() {
    let line = Timeline(events: Run.timedOut, width: 80).render()[1]
    #expect(line.hasSuffix("=Fx TimeoutError"), "\(line)")
  }

  @Test("a suppressed error: nothing leaves the scope, the text says what was suppressed")
  func suppressed() {
    let a = Run.scope("A")
    let events = [
      Run.at(0, a, .enter), Run.at(5, a, .exit(error: "KeyError", expired: nil)),
      Run.at(5, a, .suppressed(error: "KeyError")),
      Run.at(10, a, .exitDone(error: nil, step: nil)), Run.result(10),
    ]
    let line = Timeline(events: events, width: 80).render()[1]
    #expect(line.hasSuffix("-] KeyError (suppressed)"), "\(line)")
  }

  @Test("a bar without exit-done runs to the end of the axis with >")
  func unfinished() throws {
    let runner = Run.scope("runner")
    let a = Run.scope("A", depth: 1)
    let events = [
      Run.at(0, runner, .enter), Run.at(0, a, .enter),
      Run.at(400, a, .exit(error: "CancellationError", expired: nil)),
      Run.at(500, runner, .signal(pid: 7, signal: "SIGTERM")),
      Run.at(1000, runner, .exitDone(error: nil, step: nil)),
    ]
    let lines = Timeline(events: events, width: 80).render()
    let aLine = try #require(bar("A#1", in: lines))
    let runnerLine = try #require(bar("runner#1", in: lines))
    #expect(aLine.hasSuffix("-> exit unfinished"), "\(aLine)")
    #expect(column(of: ">", in: aLine) == column(of: "]", in: runnerLine))
    #expect(runnerLine.contains("=S="))
    #expect(lines.last == "[ enter  = body  - exit  ] exit done  S signalled  > unfinished")
  }

  @Test("a reschedule at the entry is marked just after the [")
  func reschedule() {
    let timeout = Run.scope("timeout")
    let events = [
      Run.at(0, timeout, .enter), Run.at(0, timeout, .reschedule(deadline: .seconds(1))),
      Run.at(1000, timeout, .fired),
      Run.at(1001, timeout, .exit(error: "CancellationError", expired: true)),
      Run.at(1001, timeout, .exitDone(error: "TimeoutError", step: .converted)),
    ]
    let lines = Timeline(events: events, width: 80).render()
    #expect(lines[1].hasPrefix("timeout#1 [R==="), "\(lines[1])")
    #expect(lines.last == "[ enter  F fired  R rescheduled  x error")
  }

  @Test("an instant scope still shows both ends; enter failed shows x and the error")
  func instantAndFailedEnter() {
    let a = Run.scope("A")
    let process = Run.scope("process")
    let events = [
      Run.at(0, a, .enter), Run.at(0, a, .exit(error: nil, expired: nil)),
      Run.at(0, a, .exitDone(error: nil, step: nil)),
      Run.at(0, process, .enter), Run.at(0, process, .enterFailed(error: "FileNotFoundError")),
      Run.result(0, "FileNotFoundError"),
    ]
    let lines = Timeline(events: events, width: 80).render()
    #expect(lines[1] == "A#1       []")
    #expect(lines[2] == "process#1 [x enter failed: FileNotFoundError")
  }

  @Test("no scopes: one line saying so")
  func noScopes() {
    let events = [Run.at(0, nil, .print(text: "hi")), Run.result(0)]
    #expect(Timeline(events: events).render() == ["timeline: no scopes ran"])
  }

  // MARK: - Width

  @Test("every line fits the width, wide labels and all", arguments: widths)
  func fitsTheWidth(width: Int) throws {
    for events in [Run.awkward, Run.slowExit, Run.timedOut] {
      let lines = Timeline(events: events, width: width).render()
      for line in lines {
        #expect(line.displayWidth <= width, "\(width): \(line)")
      }
    }
    let lines = Timeline(events: Run.awkward, width: width).render()
    // Every bar starts at 0 or later on the same axis: the [ of the first two line up,
    // the wide label's included.
    let japanese = try #require(bar("タイムアウト#1", in: lines))
    let rocket = try #require(bar("🚀launch#1", in: lines))
    #expect(column(of: "[", in: japanese) == column(of: "[", in: rocket))
    #expect(column(of: "[", in: japanese) == column(of: "0", in: lines[0]))
  }

  // MARK: - Labels and text

  @Test("shortening: an ellipsis within the width, whole words for the outcome text")
  func shortening() {
    #expect("abcdef".ellipsized(toWidth: 6) == "abcdef")
    #expect("abcdef".ellipsized(toWidth: 4) == "abc…")
    // A wide character that would straddle the edge is left out.
    #expect("日本語".ellipsized(toWidth: 4) == "日…")
    #expect(
      "ExitError (raised by exit, replacing KeyError)".ellipsizedAtWords(toWidth: 28)
        == "ExitError (raised by exit…")
    #expect("ExitError (raised by exit)".ellipsizedAtWords(toWidth: 12) == "ExitError…")
    #expect("VeryLongErrorName".ellipsizedAtWords(toWidth: 8) == "VeryLon…")
    #expect("short".ellipsizedAtWords(toWidth: 5) == "short")
  }

  @Test("a long label keeps its indentation and #N, the name shortened with …")
  func longLabel() throws {
    for width in Self.widths {
      let lines = Timeline(events: Run.awkward, width: width).render()
      let long = try #require(bar("avery", in: lines))
      #expect(long.hasPrefix("    avery"), "\(long)")
      #expect(long.contains("…#1 "), "\(long)")
      #expect(!long.contains("goesonandon#1"))
    }
  }

  /// `scope A { scope B { ... } }` nested `depth` levels, names from `names`, each
  /// scope entered at 0 and done at 10 ms.
  private static func nested(_ names: [String]) -> [TraceEvent] {
    let scopes = names.enumerated().map { Run.scope($0.element, depth: $0.offset) }
    return scopes.map { Run.at(0, $0, .enter) }
      + scopes.reversed().flatMap {
        [
          Run.at(10, $0, .exit(error: nil, expired: nil)),
          Run.at(10, $0, .exitDone(error: nil, step: nil)),
        ]
      } + [Run.result(10)]
  }

  /// How far each bar's label is indented, in order.
  private static func indents(_ lines: [String], count: Int) -> [Int] {
    lines[1...count].map { $0.prefix { $0 == " " }.count }
  }

  @Test("every level of nesting is indented further, short names and long", arguments: widths)
  func everyDepthIndented(width: Int) throws {
    // `scope A { scope B { scope C { scope D { sleep 0.01 } } } }`: C and D used to
    // share an indent.
    let short = Timeline(events: Self.nested(["A", "B", "C", "D"]), width: width).render()
    #expect(Self.indents(short, count: 4) == [0, 2, 4, 6], "\(short)")
    #expect(short[4].hasPrefix("      D#1 ["), "\(short[4])")
    // Deeper nesting, or names that fill the label column: the indentation narrows to a
    // column a level rather than stop, and the label column stays within a quarter of
    // the width.
    for names in [(0..<8).map { "s\($0)" }, (0..<8).map { "averyverylongname\($0)" }] {
      let lines = Timeline(events: Self.nested(names), width: width).render()
      let indents = Self.indents(lines, count: 8)
      #expect(zip(indents, indents.dropFirst()).allSatisfy { $0 < $1 }, "\(lines)")
      let labelColumn = try #require(column(of: "[", in: lines[1]))
      #expect(labelColumn <= max(13, width / 4 + 1), "\(lines)")
      for line in lines { #expect(line.displayWidth <= width, "\(line)") }
    }
  }

  @Test("the outcome text is shortened at a word boundary when it does not fit")
  func longOutcome() throws {
    let full = "ExitError (raised by exit, replacing CancellationError)"
    let narrow = try #require(
      bar("avery", in: Timeline(events: Run.awkward, width: 60).render()))
    let start = try #require(narrow.firstIndex(ofText: "x ExitError"))
    let text = String(narrow[start...].dropFirst(2))
    #expect(text.hasSuffix("…"), "\(narrow)")
    let kept = text.dropLast()
    #expect(full.hasPrefix(kept))
    #expect(full.dropFirst(kept.count).first == " " || full.dropFirst(kept.count).first == ",")
    let wide = try #require(bar("avery", in: Timeline(events: Run.awkward, width: 200).render()))
    #expect(wide.hasSuffix("x " + full))
  }

  @Test("control characters in labels and error names are shown escaped")
  func controlCharacters() throws {
    let lines = Timeline(events: Run.awkward, width: 120).render()
    #expect(!lines.contains { $0.contains("\u{1B}") || $0.contains("\n") })
    let escaped = try #require(bar(#"bad\u{1B}[31m#1"#, in: lines))
    #expect(escaped.hasSuffix(#"[x Key\nError"#), "\(escaped)")
  }

  @Test("the legend names only what is drawn, wrapped to the width")
  func legendWraps() {
    let a = Run.scope("A")
    let b = Run.scope("B")
    let events = [
      Run.at(0, a, .enter), Run.at(0, b, .enter),
      Run.at(100, a, .reschedule(deadline: nil)), Run.at(200, a, .fired),
      Run.at(300, a, .signal(pid: 1, signal: "SIGTERM")),
      Run.at(400, a, .exit(error: "CancellationError", expired: true)),
      Run.at(500, a, .exitDone(error: "CancellationError", step: nil)),
      Run.at(500, b, .exit(error: "KeyError", expired: nil)),
      Run.at(600, b, .exitDone(error: "KeyError", step: nil)),
      Run.at(1000, Run.scope("C"), .enter),
    ]
    let lines = Timeline(events: events, width: 60).render()
    #expect(
      Array(lines.suffix(2)) == [
        "[ enter  = body  - exit  F fired  R rescheduled  S signalled",
        "c cancelled  x error  > unfinished",
      ])
  }

  // MARK: - Callers

  @Test("the session draws the timeline as wide as it is told")
  func sessionWidth() async {
    let output = CapturedOutput()
    let session = Session(output: output, errors: CapturedOutput(), timelineWidth: { 150 })
    _ = await session.execute("run scope A { }")
    let lines = output.text.split(separator: "\n").map(String.init)
    let drawn = Array(lines.drop { !$0.hasPrefix("timeline") }.dropLast())
    #expect(lines.last == "audit: ok - 1 exit ran once")
    #expect(drawn == Timeline(events: session.lastRun, width: 150).render())
    #expect(drawn != Timeline(events: session.lastRun, width: 80).render())
  }

  @Test("scopelab run draws the timeline at the width it is given")
  func runCommandWidth() async {
    let output = CapturedOutput()
    let status = await RunCommandCore(source: "scope A { }", timeline: true, width: 200).run(
      output: output, errors: CapturedOutput())
    #expect(status == 0)
    let lines = output.text.split(separator: "\n").map(String.init)
    let axis = lines.first { $0.hasPrefix("timeline") } ?? ""
    // The last tick is at least 2/3 of the way along 184 axis columns.
    #expect(axis.displayWidth > 100 && axis.displayWidth <= 200, "\(axis)")
  }
}
