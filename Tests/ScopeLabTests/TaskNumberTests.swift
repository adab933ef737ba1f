import AsyncScope
import Foundation
import Testing

@testable import ScopeLab

/// The trace's `task` key: which task each event happened in, from the scope-program
/// evaluator, in JSONL and in the Perfetto picture.
@Suite("Trace: task numbers")
struct TaskNumberTests {
  static let group = """
    group { task { sleep 0.15; scope A { print a } }; \
    task { scope B { sleep 0.05; print b } }; \
    task { sleep 0.1; scope C { print c } } }; print after
    """

  @Test("a scope program's group: main is 1, its tasks 2, 3, 4, the same run to run")
  func evaluatorNumbersTasks() async throws {
    var seen: [[String]] = []
    for _ in 0..<2 {
      let run = try await runProgram(Self.group)
      #expect(run.outcome == .ok(value: nil))
      #expect(run.events.allSatisfy { $0.task != nil }, "every event tells its task")
      seen.append(run.events.map(Self.summary).sorted())
      let taskOf = Dictionary(
        run.events.compactMap { event in event.scope.map { ($0.id, event.task ?? 0) } },
        uniquingKeysWith: { first, other in first == other ? first : -1 })
      #expect(
        taskOf == [
          "group#1": 1, "task#1": 2, "task#2": 3, "task#3": 4, "A#1": 2, "B#1": 3, "C#1": 4,
        ])
      let printed = run.events.compactMap { event -> String? in
        if case .print(let text) = event.kind { return "\(text) \(event.task ?? 0)" }
        return nil
      }
      #expect(Set(printed) == ["a 2", "b 3", "c 4", "after 1"])
      #expect(run.events.last.map { $0.task } == 1, "the result is the run's own")
      let picture = try PerfettoPicture(PerfettoTrace(events: run.events, title: "t").json)
      try picture.check(against: run.events)
      #expect(
        picture.trackNames == [
          1: "main", 2: "task#1 in group#1", 3: "task#2 in group#1", 4: "task#3 in group#1",
        ])
    }
    #expect(seen[0] == seen[1])
  }

  static func summary(_ event: TraceEvent) -> String {
    "\(event.task ?? 0) \(event.scope?.id ?? "-") \(event.kind.name)"
  }

  @Test("JSONL writes `task` after the scope's keys; a line without it reads as before")
  func jsonl() throws {
    let scope = ScopeIdentity(name: "A", id: "A#1", depth: 1)
    let event = TraceEvent(time: .milliseconds(5), scope: scope, depth: 1, kind: .enter, task: 3)
    let line = JSONLTraceSink.encode(event)
    #expect(line == #"{"t":0.005000,"event":"enter","scope":"A","id":"A#1","depth":1,"task":3}"#)
    #expect(try PythonTracer.decode(line) == .event(event))
    let print = TraceEvent(time: .zero, scope: nil, depth: 2, kind: .print(text: "x"), task: 2)
    #expect(JSONLTraceSink.encode(print) == #"{"t":0.000000,"event":"print","task":2,"text":"x"}"#)
    // Older lines, and events that do not say: no key, nil.
    let old = #"{"t":0.005,"event":"enter","scope":"A","id":"A#1","depth":1}"#
    #expect(
      try PythonTracer.decode(old)
        == .event(
          TraceEvent(
            time: .milliseconds(5), scope: scope, depth: 1, kind: .enter)))
    var untold = event
    untold.task = nil
    #expect(!JSONLTraceSink.encode(untold).contains("task"))
  }

  @Test("by task: sibling tasks entering scopes at the same depth are each on their track")
  func perfettoByTask() throws {
    let group = ScopeIdentity(name: "group", id: "group#1", depth: 0)
    let task1 = ScopeIdentity(name: "task", id: "task#1", depth: 1)
    let task2 = ScopeIdentity(name: "task", id: "task#2", depth: 1)
    let a = ScopeIdentity(name: "A", id: "A#1", depth: 2)
    let b = ScopeIdentity(name: "B", id: "B#1", depth: 2)
    func at(
      _ ms: Int, _ scope: ScopeIdentity?, _ kind: TraceEvent.Kind, task: Int?, depth: Int? = nil
    )
      -> TraceEvent
    {
      TraceEvent(
        time: .milliseconds(ms), scope: scope, depth: depth ?? scope?.depth ?? 0, kind: kind,
        task: task)
    }
    // A and B interleave: A enters, B enters, A ends, B ends - on one guessed track they
    // would not nest; by task each is a slice inside its own task's.
    let events = [
      at(0, group, .enter, task: 1), at(1, task1, .enter, task: 2), at(1, task2, .enter, task: 3),
      at(2, a, .enter, task: 2), at(3, b, .enter, task: 3),
      at(4, nil, .print(text: "in A"), task: 2, depth: 3),
      at(5, a, .exit(error: nil, expired: nil), task: 2),
      at(5, a, .exitDone(error: nil, step: nil), task: 2),
      at(6, task1, .exit(error: nil, expired: nil), task: 2),
      at(6, task1, .exitDone(error: nil, step: nil), task: 2),
      at(7, b, .exit(error: nil, expired: nil), task: 3),
      at(7, b, .exitDone(error: nil, step: nil), task: 3),
      at(8, task2, .exit(error: nil, expired: nil), task: 3),
      at(8, task2, .exitDone(error: nil, step: nil), task: 3),
      at(9, group, .exit(error: nil, expired: nil), task: 1),
      at(9, group, .exitDone(error: nil, step: nil), task: 1),
      // An event that does not tell its task, in a trace that does: the run's own.
      at(10, nil, .result(outcome: "ok", value: nil, context: nil, detail: nil), task: nil),
    ]
    let picture = try PerfettoPicture(PerfettoTrace(events: events, title: "t").json)
    try picture.check(against: events)
    #expect(picture.trackNames == [1: "main", 2: "task#1 in group#1", 3: "task#2 in group#1"])
    #expect(picture.track(ofSlice: "A#1") == 2)
    #expect(picture.track(ofSlice: "B#1") == 3)
    #expect(picture.track(ofInstant: "print: in A") == 2)
    #expect(picture.track(ofInstant: "=> ok") == 1)
    // Without task numbers the same events fall back to the guess from the scopes.
    let guessed = try PerfettoPicture(
      PerfettoTrace(
        events: events.map {
          var e = $0
          e.task = nil
          return e
        }, title: "t"
      ).json)
    #expect(guessed.trackNames[guessed.track(ofSlice: "A#1") ?? 0] == "A#1 (in task#1 or task#2)")
  }
}

/// A Perfetto file, parsed, and checked against the events it was made from.
struct PerfettoPicture {
  let events: [[String: Any]]
  let trackNames: [Int: String]

  init(_ json: String) throws {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    events = try #require(object["traceEvents"] as? [[String: Any]])
    var names: [Int: String] = [:]
    for event in events where event["name"] as? String == "thread_name" {
      let args = try #require(event["args"] as? [String: Any])
      names[try #require(event["tid"] as? Int)] = args["name"] as? String
    }
    trackNames = names
  }

  func track(ofSlice id: String) -> Int? {
    events.first {
      $0["ph"] as? String == "B" && ($0["args"] as? [String: Any])?["id"] as? String == id
    }?["tid"] as? Int
  }

  func track(ofInstant name: String) -> Int? {
    events.first { $0["ph"] as? String == "i" && $0["name"] as? String == name }?["tid"] as? Int
  }

  /// B/E balanced per track, every slice on its task's track (main for an event that does
  /// not say), nested in the innermost scope open one level out in the same task - the
  /// trace's own nesting - and every instant on its event's task's track.
  func check(against trace: [TraceEvent]) throws {
    var open: [Int: [String]] = [:]
    var parentOnTrack: [String: String?] = [:]
    var sliceTrack: [String: Int] = [:]
    var instantTracks: [Int] = []
    for event in events {
      let phase = try #require(event["ph"] as? String)
      let tid = try #require(event["tid"] as? Int)
      #expect(trackNames[tid] != nil, "every track is named: \(event)")
      switch phase {
      case "B":
        let id = try #require((event["args"] as? [String: Any])?["id"] as? String)
        parentOnTrack[id] = open[tid, default: []].last
        sliceTrack[id] = tid
        open[tid, default: []].append(id)
      case "E":
        let id = try #require((event["args"] as? [String: Any])?["id"] as? String)
        #expect(open[tid]?.last == id, "E closes the innermost B on track \(tid): \(event)")
        open[tid]?.removeLast()
      case "i": instantTracks.append(tid)
      default: #expect(phase == "M", "\(event)")
      }
    }
    #expect(open.values.allSatisfy { $0.isEmpty }, "every slice ends: \(open)")
    // The trace's nesting, per task: the innermost scope open one level out.
    var openByTask: [Int: [ScopeIdentity]] = [:]
    var instants = 0
    for event in trace {
      let task = event.task ?? PerfettoTrace.mainTrack
      guard let scope = event.scope else {
        instants += 1
        continue
      }
      switch event.kind {
      case .enter:
        #expect(sliceTrack[scope.id] == task, "\(scope.id) on its task's track")
        // A task's own scope starts its track; anything else sits in its trace parent.
        let parent = openByTask[task, default: []].last { $0.depth == scope.depth - 1 }?.id
        #expect(parentOnTrack[scope.id] == .some(parent), "\(scope.id) nests in \(parent ?? "-")")
        openByTask[task, default: []].append(scope)
      case .exitDone, .enterFailed:
        openByTask[task]?.removeAll { $0 == scope }
      default:
        instants += 1
      }
    }
    #expect(instantTracks.count == instants)
    let expectedInstantTracks = trace.filter { event in
      guard event.scope != nil else { return true }
      switch event.kind {
      case .enter, .exitDone, .enterFailed: return false
      default: return true
      }
    }.map { $0.task ?? PerfettoTrace.mainTrack }
    #expect(instantTracks == expectedInstantTracks, "each instant on its task's track")
  }
}
