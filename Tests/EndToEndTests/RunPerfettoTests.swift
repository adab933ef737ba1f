import Foundation
import TestSupport
import Testing

/// `scopelab run --perfetto FILE.json`: Chrome trace-event JSON, read back with
/// Foundation's parser and checked against the JSONL trace of the same run.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RunPerfettoTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  var file: String { scopelab.home.path + "/run.json" }

  static let programs = [
    "timeout 2 { sleep 0.1; print \"done\" }; print \"after\"",
    "timeout 0.3 { runner { process sleep 10 { wait } } }",
    "scope A { scope B { print body } }",
    "try { timeout 0.2 { sleep 3 } } catch TimeoutError { print caught }",
    "scope A(suppress) { throw KeyError }; print after",
    "scope A(fail-enter) { print never }",
    "group { task { sleep 0.1; print a }; task { timeout 0.1 { sleep 1 } } }",
    "group { task { scope A { sleep 0.1 } }; task { scope B { sleep 0.1 } } }",
  ]

  @Test(arguments: programs)
  func theFileHoldsTheTraceOfTheRun(_ program: String) throws {
    let finished = try scopelab.run(
      ["run", program, "--trace-format", "jsonl", "--perfetto", file, "--force"])
    #expect(finished.status == 0 || finished.status == 1, "\(finished)")
    let trace = try finished.output.split(separator: "\n").map { line in
      try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
    let picture = try PerfettoFile(path: file)
    try picture.check(against: trace)
  }

  @Test func aTaskHasATrackOfItsOwn() throws {
    let finished = try scopelab.run(
      [
        "run", "group { task { sleep 0.5; timeout 1 { print b } }; task { sleep 0.05 } }",
        "--perfetto", file,
      ])
    #expect(finished.status == 0, "\(finished)")
    let picture = try PerfettoFile(path: file)
    #expect(
      picture.trackNames == [1: "main", 2: "task#1 in group#1", 3: "task#2 in group#1"])
    let timeout = try #require(picture.trackOf("timeout#1"))
    #expect(timeout == 2)
    let print = try #require(picture.events.first { ($0["name"] as? String) == "print: b" })
    #expect(print["tid"] as? Int == timeout)
  }

  @Test func aScopeEnteredBesideASiblingTaskIsOnItsTasksTrack() throws {
    // Both tasks are open when the first enters A, and both have entered a scope at the
    // same depth when the second enters B: the trace's task numbers tell them apart.
    let finished = try scopelab.run(
      [
        "run",
        "group { task { sleep 0.1; scope A { sleep 0.2; print a } }; "
          + "task { sleep 0.2; scope B { print b } } }",
        "--trace-format", "jsonl", "--perfetto", file,
      ])
    #expect(finished.status == 0, "\(finished)")
    let picture = try PerfettoFile(path: file)
    #expect(picture.trackOf("A#1") == 2)
    #expect(picture.trackOf("B#1") == 3)
    for (text, track) in [("a", 2), ("b", 3)] {
      let print = try #require(picture.events.first { ($0["name"] as? String) == "print: \(text)" })
      #expect(print["tid"] as? Int == track)
    }
    let trace = try finished.output.split(separator: "\n").map { line in
      try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
    try picture.check(against: trace)
  }

  @Test func anExistingFileIsReplacedOnlyWithForce() throws {
    try "keep".write(toFile: file, atomically: true, encoding: .utf8)
    let refused = try scopelab.run(["run", "print hi", "--perfetto", file])
    #expect(refused.status == 2, "\(refused)")
    #expect(refused.output.isEmpty, "nothing ran: \(refused)")
    #expect(refused.errors == "error: --perfetto \(file) exists: add --force to replace it\n")
    #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep")
    let forced = try scopelab.run(["run", "print hi", "--perfetto", file, "--force"])
    #expect(forced.status == 0, "\(forced)")
    _ = try PerfettoFile(path: file)
  }

  @Test(arguments: ["/no/such/dir/run.json", "/"])
  func aBadPathIsOneLineAndExitTwo(_ path: String) throws {
    let finished = try scopelab.run(["run", "print hi", "--perfetto", path])
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.output.isEmpty, "nothing ran: \(finished)")
    #expect(finished.errors.hasPrefix("error: --perfetto: cannot record to \(path)"))
    #expect(finished.errors.filter { $0 == "\n" }.count == 1, "\(finished)")
  }

  @Test func forceAloneIsRefused() throws {
    let finished = try scopelab.run(["run", "print hi", "--force"])
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.errors.contains("--force goes with --perfetto"), "\(finished)")
  }

  @Test func emitRunsNothingToPicture() throws {
    let finished = try scopelab.run(["run", "print hi", "--emit", "swift", "--perfetto", file])
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.errors.contains("--perfetto writes a run; --emit runs nothing"))
    #expect(!FileManager.default.fileExists(atPath: file), "no file written")
  }
}

/// A `--perfetto` file, parsed, and the checks every one must pass.
struct PerfettoFile {
  let events: [[String: Any]]
  /// Each track's name, from its `thread_name` metadata.
  let trackNames: [Int: String]

  init(path: String) throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let object = try #require(
      try JSONSerialization.jsonObject(with: data) as? [String: Any], "not a JSON object")
    events = try #require(object["traceEvents"] as? [[String: Any]], "no traceEvents")
    var names: [Int: String] = [:]
    for event in events where (event["name"] as? String) == "thread_name" {
      #expect(event["ph"] as? String == "M")
      let args = try #require(event["args"] as? [String: Any])
      names[try #require(event["tid"] as? Int)] = args["name"] as? String
    }
    trackNames = names
    #expect(
      events.contains {
        ($0["name"] as? String) == "process_name" && ($0["ph"] as? String) == "M"
      }, "the run is named as a process")
  }

  /// Well-formed events, `B`/`E` balanced and `ts` monotonic per track, one slice per
  /// scope of `trace` (the same run's JSONL) at its enter and exit-done times, nested as
  /// the trace nests them, named with what left the scope, and an instant for every
  /// fired, print, signal and output.
  func check(against trace: [[String: Any]]) throws {
    var open: [Int: [String]] = [:]
    var lastTime: [Int: Int] = [:]
    var begins: [String: (ts: Int, parent: String?, tid: Int)] = [:]
    var ends: [String: (ts: Int, name: String)] = [:]
    var instants: [String: Int] = [:]
    for event in events {
      let phase = try #require(event["ph"] as? String)
      #expect(["B", "E", "i", "M"].contains(phase), "\(event)")
      #expect(event["pid"] as? Int == 1, "one process per run: \(event)")
      let tid = try #require(event["tid"] as? Int, "\(event)")
      #expect(trackNames[tid] != nil, "every track is named: \(event)")
      guard phase != "M" else { continue }
      let ts = try #require(event["ts"] as? Int, "ts in whole microseconds: \(event)")
      #expect(ts >= (lastTime[tid] ?? 0), "ts monotonic on track \(tid): \(event)")
      lastTime[tid] = ts
      let args = try #require(event["args"] as? [String: Any])
      switch phase {
      case "B":
        let id = try #require(args["id"] as? String)
        begins[id] = (ts, open[tid, default: []].last, tid)
        open[tid, default: []].append(id)
      case "E":
        let id = try #require(args["id"] as? String)
        #expect(open[tid]?.last == id, "E closes the innermost B on its track: \(event)")
        open[tid]?.removeLast()
        ends[id] = (ts, try #require(event["name"] as? String))
      default:
        #expect(event["s"] as? String == "t", "\(event)")
        instants[try #require(event["cat"] as? String), default: 0] += 1
      }
    }
    #expect(open.values.allSatisfy { $0.isEmpty }, "every slice ends: \(open)")

    // The trace's own nesting: a scope's parent is the innermost open scope one level out,
    // in the same task when the trace tells tasks (`task`).
    var openScopes: [(id: String, depth: Int, task: Int?)] = []
    var instantTracks: [String: [Int]] = [:]
    for event in events where event["ph"] as? String == "i" {
      instantTracks[event["cat"] as? String ?? "", default: []].append(event["tid"] as? Int ?? 0)
    }
    var traceTasks: [String: [Int]] = [:]
    var counts: [String: Int] = [:]
    for line in trace {
      let event = try #require(line["event"] as? String)
      counts[event, default: 0] += 1
      let micros = Int(((line["t"] as? Double ?? -1) * 1_000_000).rounded())
      let task = line["task"] as? Int
      if let task, ["fired", "print", "signal", "output", "interrupt"].contains(event) {
        traceTasks[event, default: []].append(task)
      }
      guard let id = line["id"] as? String, let depth = line["depth"] as? Int else { continue }
      switch event {
      case "enter":
        let begin = try #require(begins[id], "a slice for \(id)")
        #expect(begin.ts == micros, "\(id) begins at its enter")
        let parent = openScopes.last { $0.depth == depth - 1 && $0.task == task }?.id
        if let task {
          // Each task is its track: the slice sits in its parent in the same task.
          #expect(begin.tid == task, "\(id) is on the track of task \(task)")
          #expect(begin.parent == parent, "\(id) nests in \(parent ?? "nothing") as in the trace")
        } else if let onTrack = begin.parent {
          // On its track a slice sits in its trace parent; a task starts a track of its own.
          #expect(onTrack == parent, "\(id) nests in \(parent ?? "nothing") as in the trace")
        } else {
          #expect(depth == 0 || line["scope"] as? String == "task" || trackOf(id) != 1)
        }
        openScopes.append((id, depth, task))
      case "exit-done", "enter-failed":
        let end = try #require(ends[id], "\(id) ends")
        #expect(end.ts == micros, "\(id) ends at its \(event)")
        let left = (line["error"] as? String) ?? "ok"
        let expected = event == "enter-failed" ? "\(id): enter failed \(left)" : "\(id): \(left)"
        #expect(end.name.hasPrefix(expected), "\(end.name) names what left \(id)")
        openScopes.removeAll { $0.id == id }
      default:
        break
      }
    }
    #expect(
      Set(begins.keys)
        == Set(trace.compactMap { $0["event"] as? String == "enter" ? $0["id"] as? String : nil }))
    for kind in ["fired", "print", "signal", "output", "interrupt"] {
      #expect(instants[kind, default: 0] == counts[kind, default: 0], "an instant per \(kind)")
      if let tasks = traceTasks[kind] {
        #expect(instantTracks[kind] == tasks, "each \(kind) on its task's track")
      }
    }
  }

  /// The task each scope's events and each `print` (by its text) or `result` happened in,
  /// from a JSONL trace: every line must tell its task, and a scope's lines all the same.
  static func tasks(of trace: [[String: Any]]) -> [String: Int] {
    var taskOf: [String: Int] = [:]
    for event in trace {
      let key = (event["id"] as? String) ?? "\(event["event"] ?? "?") \(event["text"] ?? "")"
      guard let task = event["task"] as? Int else {
        Issue.record("a line without its task: \(event)")
        continue
      }
      #expect(taskOf[key].map { $0 == task } ?? true, "\(key): one task")
      taskOf[key] = task
    }
    return taskOf
  }

  /// Runs `scopelab trace PROGRAM` (`arguments`, then `--trace-format jsonl --perfetto
  /// file --force`) twice. Each run must end with status 0; its JSONL trace (every line of
  /// the output, or with `jsonLinesOnly` the lines that start with `{`) must give each scope
  /// and `print` the task `expected` says, after `adjust` has taken out what it checks
  /// itself; its Perfetto file must pass every ``check(against:)`` and, when `tracks` is
  /// given, name its tracks so. Both runs must number the tasks alike.
  static func checkTasksTwice(
    _ scopelab: Scopelab, tracing arguments: [String], file: String, timeout: Double,
    jsonLinesOnly: Bool = false, expected: [String: Int], tracks: [Int: String]?,
    adjust: (inout [String: Int], Finished) -> Void = { _, _ in },
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    var runs: [[String: Int]] = []
    for _ in 0..<2 {
      let finished = try scopelab.run(
        arguments + ["--trace-format", "jsonl", "--perfetto", file, "--force"], timeout: timeout)
      #expect(finished.status == 0, "\(finished)", sourceLocation: sourceLocation)
      let trace = try finished.output.split(separator: "\n")
        .filter { !jsonLinesOnly || $0.hasPrefix("{") }
        .map { line in
          try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            sourceLocation: sourceLocation)
        }
      var taskOf = tasks(of: trace)
      adjust(&taskOf, finished)
      #expect(taskOf == expected, "\(finished)", sourceLocation: sourceLocation)
      runs.append(taskOf)
      let picture = try PerfettoFile(path: file)
      try picture.check(against: trace)
      if let tracks {
        #expect(picture.trackNames == tracks, sourceLocation: sourceLocation)
      }
    }
    #expect(runs.count == 2 && runs[0] == runs[1], sourceLocation: sourceLocation)
  }

  /// What ``tasks(of:)`` gives for the task-group programs of the Python and Swift tests:
  /// two tasks, the second entering its `Room` first.
  static let roomsTasks = [
    "group#1": 1, "task#1": 2, "task#2": 3, "Room#1": 3, "Room#2": 2,
    "print a": 2, "print b": 3, "print after": 1, "result ": 1,
  ]

  /// What ``tasks(of:)`` gives for the programs of the Python and Swift tests whose two
  /// tasks inherit main's trace (asyncio.gather, Swift's own task group): numbered in the
  /// order they enter their `Room`s, main staying 1.
  static let gatheredTasks = [
    "Room#1": 2, "Room#2": 3, "print a": 2, "print b": 3, "print after": 1, "result ": 1,
  ]

  /// The track a scope's slice is on.
  func trackOf(_ id: String) -> Int? {
    events.first {
      ($0["ph"] as? String) == "B" && ($0["args"] as? [String: Any])?["id"] as? String == id
    }?[
      "tid"] as? Int
  }
}
