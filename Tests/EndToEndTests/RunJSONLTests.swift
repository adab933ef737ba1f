import Foundation
import Testing

/// `scopelab run --trace-format jsonl`: DESIGN.md's schema, read back with
/// Foundation's JSON parser.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RunJSONLTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  static let scopeEvents: Set<String> = [
    "enter", "enter-failed", "exit", "exit-done", "suppressed", "fired", "reschedule",
  ]
  static let allEvents: Set<String> = [
    "enter", "enter-failed", "exit", "exit-done", "suppressed", "fired", "reschedule", "flag",
    "started", "output", "signal", "status", "reaped", "interrupt", "print", "result",
  ]

  /// Runs `program` with the JSONL trace; its status and events.
  private func events(
    _ program: String, _ extra: [String] = []
  ) throws -> (Int32?, [[String: Any]], Finished) {
    let finished = try scopelab.run(["run", program, "--trace-format", "jsonl"] + extra)
    var events: [[String: Any]] = []
    for line in finished.output.split(separator: "\n", omittingEmptySubsequences: false)
    where !line.isEmpty {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
      let event = try #require(object as? [String: Any], "not an object: \(line)")
      events.append(event)
    }
    #expect(finished.output.hasSuffix("\n"), "every line ends: \(finished)")
    return (finished.status, events, finished)
  }

  static let programs = [
    "timeout 2 { sleep 0.1; print \"done\" }; print \"after\"",
    "runner { sleep 0.1 }",
    "process sh -c \"echo hi; echo oops >&2; exit 3\" { wait }",
    "timeout 0.3 { runner { process sleep 10 { wait } } }",
    "scope A { scope B { print body } }",
    "try { timeout 0.2 { sleep 3 } } catch TimeoutError { print caught }",
    "scope A(suppress) { throw KeyError }; print after",
    "scope A(fail-enter) { print never }",
    "scope A(throw-exit) { throw KeyError }",
    "process no-such-command-for-scopelab { wait }",
    "return 7",
    "group { task { sleep 0.1; print a }; task { throw KeyError } }",
  ]

  @Test(arguments: programs)
  func everyLineIsAnEventOfTheSchema(_ program: String) throws {
    let (_, events, finished) = try events(program)
    try #require(!events.isEmpty, "\(finished)")
    var previous = 0.0
    for event in events {
      let time = try #require(event["t"] as? Double, "t: \(event)")
      #expect(time >= 0 && time >= previous, "t is monotonic: \(event)")
      previous = time
      let name = try #require(event["event"] as? String, "event: \(event)")
      #expect(Self.allEvents.contains(name), "known event: \(event)")
      let task = try #require(event["task"] as? Int, "task: \(event)")
      #expect(task >= 1, "\(event)")
      if Self.scopeEvents.contains(name) {
        #expect(event["scope"] is String, "\(event)")
        let id = try #require(event["id"] as? String, "\(event)")
        #expect(id.contains("#"), "\(event)")
        let depth = try #require(event["depth"] as? Int, "\(event)")
        #expect(depth >= 0)
      }
      if ["exit", "exit-done", "enter-failed", "suppressed"].contains(name) {
        #expect(event.keys.contains("error"), "\(event)")
      }
      if name == "reschedule" {
        #expect(event.keys.contains("deadline"), "\(event)")
      }
      if ["started", "signal", "status", "reaped"].contains(name) {
        #expect(event["pid"] is Int, "\(event)")
      }
    }
    let last = try #require(events.last)
    #expect(last["event"] as? String == "result", "\(finished)")
    #expect(last["outcome"] is String, "\(finished)")
    #expect(events.dropLast().allSatisfy { $0["event"] as? String != "result" })
  }

  @Test func aTimeoutThatFiresHasExactlyThisTrace() throws {
    let (status, events, finished) = try events("timeout 0.2 { sleep 1 }")
    #expect(status == 1)
    let names = events.compactMap { $0["event"] as? String }
    try #require(names == ["enter", "fired", "exit", "exit-done", "result"], "\(finished)")
    for event in events.prefix(4) {
      #expect(event["scope"] as? String == "timeout")
      #expect(event["id"] as? String == "timeout#1")
      #expect(event["depth"] as? Int == 0)
    }
    let fired = try #require(events[1]["t"] as? Double)
    #expect(fired >= 0.18 && fired < 0.7, "fired at \(fired)s")
    #expect(events[2]["expired"] as? Bool == true, "\(finished)")
    #expect(events[2]["error"] is String, "exit received the cancellation: \(finished)")
    #expect(events[3]["error"] as? String == "TimeoutError", "the timeout converted: \(finished)")
    #expect(events[4]["outcome"] as? String == "TimeoutError")
    #expect(events[4]["error"] as? String == "TimeoutError")
  }

  /// The new events, in order: (event, scope id, error) for each line.
  static let decisiveSteps: [(String, [String])] = [
    (
      "scope A(slow-exit=0.2) { print body }",
      ["enter A#1", "print", "exit A#1 nil", "exit-done A#1 nil", "result ok"]
    ),
    (
      "scope A(throw-exit) { print body }",
      ["enter A#1", "print", "exit A#1 nil", "exit-done A#1 ExitError", "result ExitError"]
    ),
    (
      "timeout 0.1 { sleep 5 }",
      [
        "enter timeout#1", "fired timeout#1", "exit timeout#1 CancellationError",
        "exit-done timeout#1 TimeoutError", "result TimeoutError",
      ]
    ),
    (
      "timeout 0.1 { timeout 5 { sleep 5 } }",
      [
        "enter timeout#1", "enter timeout#2", "fired timeout#1",
        "exit timeout#2 CancellationError", "exit-done timeout#2 CancellationError",
        "exit timeout#1 CancellationError", "exit-done timeout#1 TimeoutError",
        "result TimeoutError",
      ]
    ),
    (
      "timeout 0.1 { scope A(suppress) { sleep 5 } }",
      [
        "enter timeout#1", "enter A#1", "fired timeout#1", "exit A#1 CancellationError",
        "exit-done A#1 CancellationError", "exit timeout#1 CancellationError",
        "exit-done timeout#1 TimeoutError", "result TimeoutError",
      ]
    ),
    (
      "timeout 5 { reschedule 0.1; sleep 5 }",
      [
        "enter timeout#1", "reschedule timeout#1", "fired timeout#1",
        "exit timeout#1 CancellationError", "exit-done timeout#1 TimeoutError",
        "result TimeoutError",
      ]
    ),
  ]

  @Test(arguments: decisiveSteps.indices)
  func theDecisiveStepsInOrder(_ index: Int) throws {
    let (program, expected) = Self.decisiveSteps[index]
    let (_, events, finished) = try events(program)
    let summary = events.map { event -> String in
      let name = event["event"] as? String ?? "?"
      var words = [name]
      if let id = event["id"] as? String { words.append(id) }
      if name == "exit" || name == "exit-done" { words.append(event["error"] as? String ?? "nil") }
      if name == "result" { words.append(event["outcome"] as? String ?? "?") }
      return words.joined(separator: " ")
    }
    #expect(summary == expected, "\(finished)")
    if program.contains("slow-exit") {
      let began = try #require(events[2]["t"] as? Double)
      let done = try #require(events[3]["t"] as? Double)
      #expect(done - began >= 0.19, "the exit took its 0.2 s: \(finished)")
    }
    if program.contains("reschedule") {
      let deadline = try #require(events[1]["deadline"] as? Double, "\(finished)")
      let fired = try #require(events[2]["t"] as? Double)
      #expect(deadline >= 0.1 && deadline < 0.6 && fired >= deadline - 0.02, "\(finished)")
    }
  }

  @Test func aTimeoutThatDoesNotFireIsNotExpired() throws {
    let (status, events, finished) = try events("timeout 2 { sleep 0.1 }")
    #expect(status == 0)
    let names = events.compactMap { $0["event"] as? String }
    #expect(names == ["enter", "exit", "exit-done", "result"], "\(finished)")
    #expect(events.count == 4 && events[1]["expired"] as? Bool == false, "\(finished)")
    #expect(events.count == 4 && events[1]["error"] is NSNull, "received none: \(finished)")
    #expect(events.count == 4 && events[2]["error"] is NSNull, "nothing leaves: \(finished)")
    #expect(events.last?["outcome"] as? String == "ok")
  }

  @Test func processEventsCarryPidStatusAndOutput() throws {
    let (status, events, finished) = try events(
      "process sh -c \"echo hi; echo oops >&2; exit 3\" { wait }")
    #expect(status == 0)
    let output = events.filter { $0["event"] as? String == "output" }
    #expect(
      output.contains { $0["text"] as? String == "hi" && $0["stream"] as? String == "stdout" },
      "\(finished)")
    #expect(
      output.contains { $0["text"] as? String == "oops" && $0["stream"] as? String == "stderr" },
      "\(finished)")
    let started = try #require(events.first { $0["event"] as? String == "started" })
    let pid = try #require(started["pid"] as? Int)
    let statusEvent = try #require(events.first { $0["event"] as? String == "status" })
    #expect(statusEvent["status"] as? String == "exited(3)")
    #expect(statusEvent["pid"] as? Int == pid)
    let reaped = events.filter { $0["event"] as? String == "reaped" }
    #expect(reaped.count == 1 && reaped.first?["pid"] as? Int == pid, "reaped once: \(finished)")
  }

  @Test func theRunnerFlagIsTrueThenFalse() throws {
    let (_, events, finished) = try events("runner { sleep 0.1 }")
    let flags = events.filter { $0["event"] as? String == "flag" }
    #expect(flags.count == 2, "\(finished)")
    #expect(flags.allSatisfy { $0["name"] as? String == "running" })
    #expect(flags.map { $0["value"] as? Bool } == [true, false], "\(finished)")
  }

  @Test func errorsCarryTheirContext() throws {
    let (status, events, finished) = try events("scope A(throw-exit) { throw KeyError }")
    #expect(status == 1)
    let result = try #require(events.last)
    #expect(result["outcome"] as? String == "ExitError", "\(finished)")
    #expect(result["context"] as? String == "KeyError", "\(finished)")
  }

  @Test func theTimelineGoesToStandardErrorLeavingTheJSONClean() throws {
    let (_, events, finished) = try events("timeout 1 { sleep 0.1 }", ["--timeline"])
    #expect(events.last?["event"] as? String == "result", "\(finished)")
    #expect(finished.errors.contains("timeout#1"), "the timeline: \(finished)")
  }
}
