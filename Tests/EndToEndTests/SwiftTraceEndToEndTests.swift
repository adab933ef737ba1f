import Foundation
import Glibc
import TestSupport
import Testing

/// `scopelab trace FILE.swift`, run as a process: the file compiled with swiftc against the
/// AsyncScope of scopelab's own build, then run with the live trace (DESIGN.md "Contract:
/// real code"). Compiling is slow on a loaded machine, so the tests share a few programs
/// and one cache (each instance has its own HOME, so its own `~/.cache/scopelab`).
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SwiftTraceEndToEndTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
    // swiftc where the tests' own toolchain is.
    scopelab.extraEnvironment["PATH"] = getenv("PATH").map { String(cString: $0) }
  }

  /// Writes `source` as `name` in this instance's home; its path.
  private func file(_ source: String, named name: String) throws -> String {
    try scopelab.home.write(name, source)
    return scopelab.home.path + "/" + name
  }

  /// The compiled programs in this instance's cache.
  private var cachedPrograms: [String] {
    BuiltProduct.list(scopelab.home.path + "/.cache/scopelab/swift/programs")
  }

  /// A scope of the learner's own around a timeout that fires.
  static let ownScope = """
    import AsyncScope

    struct Door: AsyncScope {
      func enter() async throws { print("door open") }
      func exit(_ context: ExitContext<Void>) async throws -> ExitDecision {
        print("door closed")
        return .propagate
      }
    }

    print("start")
    try await withScope(Door()) {
      try await withScope(Timeout(.milliseconds(50))) {
        try await Task.sleep(for: .seconds(20))
      }
    }
    print("never")

    """

  @Test("a learner's own scope and a timeout: traced live; the second run uses the cache")
  func ownScopeAndCache() throws {
    let path = try file(Self.ownScope, named: "door.swift")
    let first = try scopelab.run(["trace", path, "--timeline"], timeout: 240)
    #expect(first.status == 1, "\(first)")
    #expect(
      first.output.containsInOrder([
        "start", "enter Door#1", "door open", "enter timeout#1", "fired timeout#1",
        "exit timeout#1 (received CancellationError, expired)",
        "exit-done timeout#1: CancellationError -> TimeoutError",
        "exit Door#1 (received TimeoutError)", "door closed",
        "exit-done Door#1: TimeoutError goes on", "=> TimeoutError: timeout(50ms) expired after",
        "timeline", "Door#1", "audit: ok - 2 exits ran once each",
      ]), "\(first)")
    #expect(!first.output.contains("never"), "\(first)")
    #expect(first.errors.contains("compiling"), "\(first)")
    let programs = cachedPrograms
    #expect(programs.count == 1, "\(programs)")
    let program = scopelab.home.path + "/.cache/scopelab/swift/programs/" + (programs.first ?? "")
    var before = stat()
    #expect(stat(program, &before) == 0)

    // The same source again: no compile (no word of one, the cached program untouched).
    let second = try scopelab.run(["trace", path, "--trace-format", "jsonl"], timeout: 60)
    #expect(second.status == 1, "\(second)")
    #expect(!second.errors.contains("compiling"), "\(second)")
    var after = stat()
    #expect(stat(program, &after) == 0)
    #expect(after.st_ino == before.st_ino && after.st_mtim.tv_sec == before.st_mtim.tv_sec)
    #expect(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
    #expect(cachedPrograms == programs)
    let events = try second.output.split(separator: "\n").filter { $0.hasPrefix("{") }.map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    let summary = events.map { event in
      ["event", "id", "error", "text"].compactMap { key -> String? in
        guard let value = event[key], !(value is NSNull) else { return nil }
        return "\(value)"
      }.joined(separator: " ")
    }
    #expect(
      summary == [
        "print start", "enter Door#1", "print Door#1 door open", "enter timeout#1",
        "fired timeout#1",
        "exit timeout#1 CancellationError", "exit-done timeout#1 TimeoutError",
        "exit Door#1 TimeoutError", "print Door#1 door closed", "exit-done Door#1 TimeoutError",
        "result TimeoutError",
      ], "\(second)")
    // The learner's scope is named by its type, at the top of the run.
    #expect(events.count > 1 && events[1]["scope"] as? String == "Door", "\(second)")
    #expect(events.count > 1 && events[1]["depth"] as? Int == 0, "\(second)")
  }

  /// A task group of two tasks, each entering a scope of the learner's own while the
  /// other is open: the first task enters it later, inside the second's.
  static let group = """
    import AsyncScope

    struct Room: AsyncScope {
      func enter() async throws {}
      func exit(_ context: ExitContext<Void>) async throws -> ExitDecision { .propagate }
    }

    try await withScope(TaskGroupScope()) { group in
      group.addTask {
        try await Task.sleep(for: .milliseconds(300))
        try await withScope(Room()) { print("a") }
      }
      group.addTask {
        try await withScope(Room()) {
          try await Task.sleep(for: .milliseconds(600))
          print("b")
        }
      }
    }
    print("after")

    """

  @Test("a task group's tasks: a number each, the same run to run, a Perfetto track each")
  func taskGroupTasks() throws {
    let path = try file(Self.group, named: "rooms.swift")
    try PerfettoFile.checkTasksTwice(
      scopelab, tracing: ["trace", path], file: scopelab.home.path + "/rooms.json", timeout: 240,
      jsonLinesOnly: true, expected: PerfettoFile.roomsTasks, tracks: nil)
  }

  /// Two tasks of Swift's own task group, inside a timeout whose body runs in a task of
  /// its own (and reports first, so that its task takes the caller's number), each
  /// entering a `Room` while the other is in its own.
  static let ownGroup = """
    import AsyncScope

    struct Room: AsyncScope {
      func enter() async throws {}
      func exit(_ context: ExitContext<Void>) async throws -> ExitDecision { .propagate }
    }

    try await withScope(Timeout(.seconds(30))) {
      print("start")
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          try await withScope(Room()) {
            try await Task.sleep(for: .milliseconds(300))
            print("a")
          }
        }
        group.addTask {
          try await Task.sleep(for: .milliseconds(100))
          try await withScope(Room()) {
            try await Task.sleep(for: .milliseconds(600))
            print("b")
          }
        }
        try await group.waitForAll()
      }
      print("after")
    }

    """

  @Test("tasks of Swift's own task group: a number each, the same run to run, a track each")
  func ownTaskGroupTasks() throws {
    let path = try file(Self.ownGroup, named: "own.swift")
    try PerfettoFile.checkTasksTwice(
      scopelab, tracing: ["trace", path], file: scopelab.home.path + "/own.json", timeout: 240,
      jsonLinesOnly: true, expected: PerfettoFile.gatheredTasks,
      tracks: [1: "main", 2: "task 2", 3: "task 3"]
    ) { taskOf, finished in
      // The timeout's body, in a task of its own, is main's: "after" and the timeout are 1.
      #expect(taskOf.removeValue(forKey: "timeout#1") == 1, "\(finished)")
      #expect(taskOf.removeValue(forKey: "print start") == 1, "\(finished)")
    }
  }

  @Test(
    "a script that starts with #! compiles; its warnings name the file traced, from the cache too"
  )
  func hashbangScriptWarnings() throws {
    let source = """
      #!/usr/bin/env swift
      import AsyncScope

      func unusedValue() {
        let unused = 1
      }

      print("ran")

      """
    let warning = "warning: initialization of immutable value 'unused' was never used"
    let first = try file(source, named: "first.swift")
    let one = try scopelab.run(["trace", first], timeout: 240)
    #expect(one.status == 0, "\(one)")
    #expect(one.output.contains("ran"), "\(one)")
    #expect(one.errors.contains("\(first):5:7: \(warning)"), "\(one)")
    // The same program under another name: from the cache, its warnings in that name.
    let second = try file(source, named: "second.swift")
    let two = try scopelab.run(["trace", second], timeout: 240)
    #expect(two.status == 0, "\(two)")
    #expect(!two.errors.contains("compiling"), "\(two)")
    #expect(two.errors.contains("\(second):5:7: \(warning)"), "\(two)")
    #expect(!two.errors.contains(first), "\(two)")
    #expect(cachedPrograms.count == 1, "\(cachedPrograms)")
  }

  @Test("a compile error: exit 2, the learner's file and line, no program kept")
  func compileError() throws {
    let path = try file(
      """
      import AsyncScope

      struct Door: AsyncScope {
        func enter() async throws {}
      }

      """, named: "broken door.swift")
    let run = try scopelab.run(["trace", path], timeout: 240)
    #expect(run.status == 2, "\(run)")
    #expect(run.output.isEmpty, "\(run)")
    #expect(
      run.errors.contains("\(path):3:8: error: type 'Door' does not conform to protocol"),
      "\(run)")
    #expect(cachedPrograms.isEmpty, "\(cachedPrograms)")
  }

  /// `scopelab run --emit swift PROGRAM > f.swift; scopelab trace f.swift` traces as
  /// `scopelab run PROGRAM` does: the same events, errors and outcome, but times and pids.
  @Test(
    "the emitted Swift of a program traces as the program runs",
    arguments: [
      "scope A(throw-exit) { throw KeyError }",
      "timeout 0.05 { try { sleep 1 } catch { throw KeyError } }",
      "group { task { sleep 0.01; throw KeyError }; task { sleep 1 } }",
      // One output stream: lines from two pipes have no order between them.
      #"runner { process sh -c "echo hi; exit 3" { wait } }"#,
    ])
  func emittedSwiftTracesAsRun(program: String) throws {
    let emitted = try scopelab.run(["run", program, "--emit", "swift"])
    #expect(emitted.status == 0, "\(emitted)")
    let path = try file(emitted.output, named: "emitted.swift")
    let run = try scopelab.run(["run", program, "--trace-format", "jsonl"])
    let trace = try scopelab.run(["trace", path, "--trace-format", "jsonl"], timeout: 240)
    #expect(trace.status == run.status, "\(run)\n\(trace)")
    #expect(Self.comparable(trace.output) == Self.comparable(run.output), "\(run)\n\(trace)")
    #expect(Self.comparable(run.output).count > 3, "\(run)")
  }

  /// The JSONL lines without their times and pids.
  static func comparable(_ jsonl: String) -> [String] {
    jsonl.split(separator: "\n").filter { $0.hasPrefix("{") }.map {
      String($0).replacing(/"t":[0-9.]+,/, with: "").replacing(/"pid":[0-9]+/, with: "\"pid\":P")
        .replacing(/"deadline":[0-9.]+/, with: "\"deadline\":D")
    }
  }

  @Test("Ctrl-C: exit 130, the program and its child stopped")
  func interrupted() throws {
    let path = try file(
      """
      import AsyncScope

      try await withScope(ProcessScope(arguments: ["sleep", "60"], grace: .seconds(1))) { _ in
        try await Task.sleep(for: .seconds(60))
      }

      """, named: "long.swift")
    let process = try scopelab.start(["trace", path])
    try process.expectOutput("started pid ", timeout: 240)
    let rest = try process.expectOutput(":")
    let child = try #require(pid_t(rest.dropLast()), "\(rest)")
    process.signal(SIGINT)
    let ended = process.waitForExit(timeout: 20)
    #expect(ended == .exited(130), "\(process.outputText) \(process.errorText)")
    #expect(process.outputText.contains("=> KeyboardInterrupt"), "\(process.outputText)")
    let left = ProcessTable.waitUntilGone(pids: [child], groups: []).filter { $0.state != "Z" }
    #expect(left.isEmpty, "still running: \(left)")
  }
}
