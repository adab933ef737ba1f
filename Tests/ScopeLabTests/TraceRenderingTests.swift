import AsyncScope
import Testing

@testable import ScopeLab

@Suite("Trace rendering")
struct TraceRenderingTests {
  static let timeout = ScopeIdentity(name: "timeout", id: "timeout#1", depth: 0)

  static let timedOutRun: [TraceEvent] = [
    TraceEvent(time: .zero, scope: timeout, depth: 0, kind: .enter),
    TraceEvent(time: .milliseconds(2001), scope: timeout, depth: 0, kind: .fired),
    TraceEvent(
      time: .milliseconds(2002), scope: timeout, depth: 0,
      kind: .exit(error: "CancellationError", expired: true)),
    TraceEvent(
      time: .milliseconds(2002), scope: nil, depth: 0,
      kind: .result(
        outcome: "TimeoutError", value: nil, context: nil,
        detail: "TimeoutError: timeout(2s) expired after 2.002s")),
  ]

  // MARK: - Text

  @Test("text: time to the millisecond, nesting by indentation, exit shows what it received")
  func textLines() {
    let formatter = TraceLineFormatter()
    let lines = Self.timedOutRun.map(formatter.line)
    #expect(lines[0] == "  0.000s  enter timeout#1")
    #expect(lines[1] == "  2.001s    fired timeout#1: deadline passed, cancelling its body")
    #expect(lines[2] == "  2.002s  exit timeout#1 (received CancellationError, expired)")
    #expect(lines[3] == "  2.002s  => TimeoutError: timeout(2s) expired after 2.002s")
  }

  @Test("text: a print inside a scope is indented one level deeper than the scope")
  func textNesting() {
    let print = TraceEvent(
      time: .milliseconds(1001), scope: nil, depth: 1, kind: .print(text: "done"))
    #expect(TraceLineFormatter().line(for: print) == "  1.001s    done")
  }

  @Test("text: a failed enter is one attempt: enter, then enter-failed with the error")
  func textEnterFailed() {
    let formatter = TraceLineFormatter()
    let a = ScopeIdentity(name: "A", id: "A#1", depth: 0)
    let lines = [
      TraceEvent(time: .zero, scope: a, depth: 0, kind: .enter),
      TraceEvent(time: .zero, scope: a, depth: 0, kind: .enterFailed(error: "EnterError")),
    ].map(formatter.describe)
    // The trace's own word, `enter-failed` (DESIGN.md), not a second `enter A#1 ...`.
    #expect(lines == ["enter A#1", "enter-failed A#1: EnterError"])
  }

  @Test("text: a teardown's signal goes to the child's process group, and says so")
  func textSignal() {
    let process = ScopeIdentity(name: "process", id: "process#1", depth: 0)
    let signal = TraceEvent(
      time: .zero, scope: process, depth: 0, kind: .signal(pid: 42, signal: "SIGKILL"))
    #expect(TraceLineFormatter().describe(signal) == "signal SIGKILL to the group of pid 42")
  }

  @Test("text: a signal to the one process (Python's terminate()) names no group")
  func textSignalToOneProcess() {
    let signal = TraceEvent(
      time: .zero, scope: nil, depth: 0, kind: .signal(pid: 42, signal: "SIGTERM", group: false))
    #expect(TraceLineFormatter().describe(signal) == "signal SIGTERM to pid 42")
  }

  @Test("text: ok and the error chain on the last line")
  func textOutcome() {
    let formatter = TraceLineFormatter()
    let ok = TraceEvent(
      time: .zero, scope: nil, depth: 0,
      kind: .result(outcome: "ok", value: nil, context: nil, detail: nil))
    #expect(formatter.describe(ok) == "=> ok")
    let chained = TraceEvent(
      time: .zero, scope: nil, depth: 0,
      kind: .result(
        outcome: "ExitError", value: nil, context: "KeyError",
        detail: "ExitError during handling of KeyError"))
    #expect(formatter.describe(chained) == "=> ExitError during handling of KeyError")
  }

  @Test("text: colour codes only when the palette is on")
  func colour() {
    let event = Self.timedOutRun[0]
    #expect(!TraceLineFormatter(palette: .plain).line(for: event).contains("\u{1B}"))
    #expect(
      TraceLineFormatter(palette: Palette(enabled: true)).line(for: event).contains("\u{1B}["))
  }

  @Test(
    "colour rules: a terminal, TERM not dumb, NO_COLOR unset - unless --color says",
    arguments: [
      (ColorChoice.auto, true, ["TERM": "xterm"], true),
      (.auto, false, ["TERM": "xterm"], false),
      (.auto, true, ["TERM": "dumb"], false),
      (.auto, true, ["TERM": "xterm", "NO_COLOR": "1"], false),
      (.always, false, [:], true),
      (.never, true, ["TERM": "xterm"], false),
    ])
  func colourRules(choice: ColorChoice, terminal: Bool, environment: [String: String], on: Bool) {
    let palette = Palette.decide(choice: choice, isTerminal: terminal, environment: environment)
    #expect(palette.enabled == on)
  }

  // MARK: - JSONL

  @Test("jsonl: exactly the keys of DESIGN.md's table, per event")
  func jsonlKeys() {
    let lines = Self.timedOutRun.map(JSONLTraceSink.encode)
    #expect(
      lines[0] == #"{"t":0.000000,"event":"enter","scope":"timeout","id":"timeout#1","depth":0}"#)
    #expect(
      lines[1] == #"{"t":2.001000,"event":"fired","scope":"timeout","id":"timeout#1","depth":0}"#)
    #expect(
      lines[2]
        == #"{"t":2.002000,"event":"exit","scope":"timeout","id":"timeout#1","depth":0,"error":"CancellationError","expired":true}"#
    )
    #expect(
      lines[3]
        == #"{"t":2.002000,"event":"result","outcome":"TimeoutError","error":"TimeoutError","value":null,"context":null}"#
    )
  }

  @Test("jsonl: an exit with no error has error null; other scopes have no expired key")
  func jsonlExitNone() {
    let runner = ScopeIdentity(name: "runner", id: "runner#1", depth: 1)
    let line = JSONLTraceSink.encode(
      TraceEvent(
        time: .milliseconds(1), scope: runner, depth: 1, kind: .exit(error: nil, expired: nil)))
    #expect(
      line
        == #"{"t":0.001000,"event":"exit","scope":"runner","id":"runner#1","depth":1,"error":null}"#
    )
  }

  @Test("jsonl: process and flag events, strings escaped")
  func jsonlProcess() {
    let process = ScopeIdentity(name: "process", id: "process#1", depth: 0)
    let output = JSONLTraceSink.encode(
      TraceEvent(
        time: .zero, scope: process, depth: 0,
        kind: .output(text: "a \"q\"\t\u{1}", stream: .stderr)))
    #expect(output.contains(#""text":"a \"q\"\t\u0001","stream":"stderr""#))
    let status = JSONLTraceSink.encode(
      TraceEvent(time: .zero, scope: process, depth: 0, kind: .status(pid: 42, status: "exited(3)"))
    )
    #expect(status.hasSuffix(#""pid":42,"status":"exited(3)"}"#))
    let flag = JSONLTraceSink.encode(
      TraceEvent(time: .zero, scope: nil, depth: 0, kind: .flag(name: "running", value: true)))
    #expect(flag.hasSuffix(#""name":"running","value":true}"#))
  }

  // MARK: - Timeline

  @Test("timeline: one bar per scope, fired and error marks, at most 80 columns")
  func timeline() {
    // The timeout's exit returns with TimeoutError just before the result.
    let exitDone = TraceEvent(
      time: .milliseconds(2002), scope: Self.timeout, depth: 0,
      kind: .exitDone(error: "TimeoutError", step: .converted))
    let events = Self.timedOutRun.dropLast() + [exitDone] + Self.timedOutRun.suffix(1)
    let lines = Timeline(events: Array(events)).render()
    #expect(lines.count == 3)
    #expect(lines.allSatisfy { $0.displayWidth <= 80 })
    #expect(lines[0].hasPrefix("timeline"))
    #expect(lines[1].hasPrefix("timeout#1 ["))
    #expect(lines[1].hasSuffix("Fx TimeoutError"), "\(lines[1])")
  }

  @Test("timeline: nested scopes are indented and start where they entered")
  func timelineNested() {
    let outer = ScopeIdentity(name: "runner", id: "runner#1", depth: 0)
    let inner = ScopeIdentity(name: "A", id: "A#1", depth: 1)
    let events = [
      TraceEvent(time: .zero, scope: outer, depth: 0, kind: .enter),
      TraceEvent(time: .seconds(1), scope: inner, depth: 1, kind: .enter),
      TraceEvent(time: .seconds(2), scope: inner, depth: 1, kind: .exit(error: nil, expired: nil)),
      TraceEvent(time: .seconds(2), scope: inner, depth: 1, kind: .exitDone(error: nil, step: nil)),
      TraceEvent(time: .seconds(2), scope: outer, depth: 0, kind: .exit(error: nil, expired: nil)),
      TraceEvent(time: .seconds(2), scope: outer, depth: 0, kind: .exitDone(error: nil, step: nil)),
    ]
    let lines = Timeline(events: events).render()
    let outerStart = lines[1].firstIndex(of: "[").map {
      lines[1].distance(from: lines[1].startIndex, to: $0)
    }
    let innerStart = lines[2].firstIndex(of: "[").map {
      lines[2].distance(from: lines[2].startIndex, to: $0)
    }
    #expect(lines[2].hasPrefix("  A#1"))
    #expect((innerStart ?? 0) > (outerStart ?? 0))
    #expect(lines[1].hasSuffix("]"))
  }

  @Test("timeline: a scope that enters and exits at once still shows both ends")
  func timelineInstant() {
    let scope = ScopeIdentity(name: "A", id: "A#1", depth: 0)
    let events = [
      TraceEvent(time: .zero, scope: scope, depth: 0, kind: .enter),
      TraceEvent(time: .zero, scope: scope, depth: 0, kind: .exit(error: nil, expired: nil)),
      TraceEvent(time: .zero, scope: scope, depth: 0, kind: .exitDone(error: nil, step: nil)),
    ]
    let lines = Timeline(events: events).render()
    #expect(lines[1].hasSuffix("[]"), "\(lines[1])")
  }
}
