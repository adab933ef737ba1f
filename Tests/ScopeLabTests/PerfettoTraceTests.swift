import AsyncScope
import Foundation
import Testing

@testable import ScopeLab

/// ``PerfettoTrace`` from events written by hand: the cases a real run rarely shows.
@Suite("Perfetto: trace events made by hand")
struct PerfettoTraceTests {
  static func scope(_ name: String, _ ordinal: Int, depth: Int) -> ScopeIdentity {
    ScopeIdentity(name: name, id: "\(name)#\(ordinal)", depth: depth)
  }

  static func event(
    _ ms: Int, _ scope: ScopeIdentity?, depth: Int? = nil, _ kind: TraceEvent.Kind
  ) -> TraceEvent {
    TraceEvent(
      time: .milliseconds(ms), scope: scope, depth: depth ?? scope?.depth ?? 0, kind: kind)
  }

  /// The file's events, parsed.
  static func parsed(_ events: [TraceEvent]) throws -> [[String: Any]] {
    let json = PerfettoTrace(events: events, title: "scopelab run test").json
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    return try #require(object["traceEvents"] as? [[String: Any]])
  }

  static func slices(_ events: [[String: Any]]) -> [(ph: String, name: String, ts: Int)] {
    events.compactMap { event in
      guard let ph = event["ph"] as? String, ph == "B" || ph == "E" else { return nil }
      return (ph, event["name"] as? String ?? "", event["ts"] as? Int ?? -1)
    }
  }

  @Test("a failed enter is a slice named with its error; a suppressed error is named too")
  func enterFailedAndSuppressed() throws {
    let a = Self.scope("A", 1, depth: 0)
    let b = Self.scope("B", 1, depth: 0)
    let events = try Self.parsed([
      Self.event(0, a, .enter),
      Self.event(1, a, .enterFailed(error: "EnterError")),
      Self.event(2, b, .enter),
      Self.event(3, b, .exit(error: "KeyError", expired: nil)),
      Self.event(3, b, .suppressed(error: "KeyError")),
      Self.event(4, b, .exitDone(error: nil, step: nil)),
      Self.event(5, nil, .result(outcome: "ok", value: nil, context: nil, detail: nil)),
    ])
    let slices = Self.slices(events)
    #expect(slices.map(\.ph) == ["B", "E", "B", "E"])
    // The B carries the name too: viewers name a slice by its B.
    #expect(
      slices.map(\.name) == [
        "A#1: enter failed EnterError", "A#1: enter failed EnterError",
        "B#1: ok (suppressed KeyError)", "B#1: ok (suppressed KeyError)",
      ])
    #expect(slices.map(\.ts) == [0, 1000, 2000, 4000], "microseconds")
  }

  @Test("a run cut short still ends every slice, innermost first, at its last event")
  func cutShort() throws {
    let outer = Self.scope("timeout", 1, depth: 0)
    let inner = Self.scope("A", 1, depth: 1)
    let events = try Self.parsed([
      Self.event(0, outer, .enter), Self.event(1, inner, .enter),
      Self.event(7, nil, depth: 2, .print(text: "last")),
    ])
    let slices = Self.slices(events)
    #expect(slices.map(\.ph) == ["B", "B", "E", "E"])
    #expect(
      slices.map(\.name) == [
        "timeout#1: not ended", "A#1: not ended", "A#1: not ended", "timeout#1: not ended",
      ])
    #expect(slices.last?.ts == 7000)
  }

  @Test("text from the program is escaped JSON: control and bidirectional characters")
  func escaped() throws {
    let events = try Self.parsed([
      Self.event(0, nil, depth: 0, .print(text: "a\"b\\c\u{1B}[31m\u{202E}\ttab"))
    ])
    let print = try #require(events.first { $0["cat"] as? String == "print" })
    #expect(print["name"] as? String == "print: a\"b\\c\u{1B}[31m\u{202E}\ttab")
    #expect(print["tid"] as? Int == PerfettoTrace.mainTrack)
  }
}
