import AsyncScope
import Testing

@Suite("RUNNER: the flag scope")
struct RunnerTests {
  @Test("running is true inside the body and false after a normal end")
  func normal() async throws {
    let item = RunnerItem()
    let seen = try await withScope(Runner(item: item)) { item.running }
    #expect(seen == true)
    #expect(!item.running)
  }

  @Test("running goes back to false after an error")
  func afterError() async throws {
    let item = RunnerItem()
    await #expect(throws: NamedError("KeyError")) {
      try await withScope(Runner(item: item)) { throw NamedError("KeyError") }
    }
    #expect(!item.running)
  }

  @Test("running goes back to false after a timeout")
  func afterTimeout() async throws {
    let item = RunnerItem()
    await #expect(throws: TimeoutError.self) {
      try await withScope(Timeout(.milliseconds(20))) {
        try await withScope(Runner(item: item)) { try await sleep(10) }
      }
    }
    #expect(!item.running)
  }

  @Test("running goes back to false after cancellation (Ctrl-C)")
  func afterCancellation() async throws {
    let item = RunnerItem()
    let task = Task { try await withScope(Runner(item: item)) { try await sleep(10) } }
    try await sleep(0.03)
    #expect(item.running)
    task.cancel()
    _ = await task.result
    #expect(!item.running)
  }

  @Test("the trace shows both flag changes, inside enter and exit")
  func traced() async throws {
    let recorder = TraceRecorder()
    _ = try await Tracer(sink: recorder, clock: ContinuousClock()).run {
      try await withScope(Runner()) {}
    }
    let kinds = recorder.events.map(\.kind)
    #expect(
      kinds == [
        .enter, .flag(name: "running", value: true), .exit(error: nil, expired: nil),
        .flag(name: "running", value: false), .exitDone(error: nil, step: nil),
      ])
  }

  // MARK: - The synchronous counterpart

  @Test("as a synchronous scope: the same rules without any await")
  func synchronous() throws {
    let item = RunnerItem()
    let value = try withSyncScope(Runner(item: item)) { item.running }
    #expect(value == true)
    #expect(!item.running)
    #expect(throws: NamedError("KeyError")) {
      try withSyncScope(Runner(item: item)) { throw NamedError("KeyError") }
    }
    #expect(!item.running)
  }
}

@Suite("The tracer")
struct TracerTests {
  @Test("ids are unique per name in a run, depth follows nesting, t never decreases")
  func identities() async throws {
    let recorder = TraceRecorder()
    _ = try await Tracer(sink: recorder, clock: ContinuousClock()).run {
      try await withScope(LoggingScope("A", log: CallLog())) {
        try await withScope(LoggingScope("A", log: CallLog())) {
          Trace.emit(.print(text: "body"))
        }
      }
    }
    let events = recorder.events
    // enter, enter, print, exit, exit-done, exit, exit-done.
    #expect(events.compactMap(\.scope?.id) == ["A#1", "A#2", "A#2", "A#2", "A#1", "A#1"])
    #expect(events.compactMap(\.scope?.depth) == [0, 1, 1, 1, 0, 0])
    #expect(
      events[2].kind == .print(text: "body") && events[2].depth == 2 && events[2].scope == nil)
    #expect(zip(events, events.dropFirst()).allSatisfy { $0.time <= $1.time })
  }

  @Test("a timeout's exit says whether it expired; fired belongs to the timeout")
  func timeoutFacts() async throws {
    let recorder = TraceRecorder()
    _ = try? await Tracer(sink: recorder, clock: ContinuousClock()).run {
      try await withScope(Timeout(.milliseconds(10))) { try await sleep(5) }
    }
    let kinds = recorder.events.map(\.kind)
    #expect(
      kinds == [
        .enter, .fired, .exit(error: "CancellationError", expired: true),
        .exitDone(error: "TimeoutError", step: .converted),
      ])
    #expect(recorder.events[1].scope?.id == "timeout#1")
  }

  @Test("enter-failed and suppressed are reported")
  func failures() async throws {
    let recorder = TraceRecorder()
    _ = try? await Tracer(sink: recorder, clock: ContinuousClock()).run {
      try await withScope(LoggingScope("S", log: CallLog(), suppress: true)) {
        throw NamedError("KeyError")
      }
      try await withScope(LoggingScope("F", log: CallLog(), failEnter: true)) {}
    }
    let kinds = recorder.events.map(\.kind)
    #expect(
      kinds == [
        .enter, .exit(error: "KeyError", expired: nil), .suppressed(error: "KeyError"),
        .exitDone(error: nil, step: nil), .enter, .enterFailed(error: "EnterError"),
      ])
  }

  @Test("a plain print in a traced run is a print event where the printing task is")
  func plainPrint() async throws {
    let recorder = TraceRecorder()
    _ = try await Tracer(sink: recorder, clock: ContinuousClock()).run {
      print("top")
      try await withScope(LoggingScope("A", log: CallLog())) { print("in", "A") }
      _ = try await withScope(TaskGroupScope()) { group in
        group.addTask { print("in task", terminator: "") }
      }
    }
    print("after the run")
    let prints = recorder.events.filter { $0.kind.name == "print" }
    #expect(
      prints.map(\.kind) == [
        .print(text: "top"), .print(text: "in A"), .print(text: "in task"),
      ])
    // The run's top, the body of A, the body of task#1 in the group's body.
    #expect(prints.map(\.depth) == [0, 1, 2])
    #expect(prints.allSatisfy { $0.scope == nil })
  }

  @Test(
    "a sink that prints while it records gets no event for its own lines",
    .timeLimit(.minutes(1)))
  func printingSink() async throws {
    struct PrintingSink: TraceSink {
      let recorder = TraceRecorder()
      func record(_ event: TraceEvent) {
        print("sink:", event.kind.name)
        recorder.record(event)
      }
    }
    let sink = PrintingSink()
    _ = try await Tracer(sink: sink, clock: ContinuousClock()).run {
      try await withScope(LoggingScope("A", log: CallLog())) { print("body") }
    }
    #expect(
      sink.recorder.events.map(\.kind) == [
        .enter, .print(text: "body"), .exit(error: nil, expired: nil),
        .exitDone(error: nil, step: nil),
      ])
  }

  @Test("two tracers running at once each get only their own tasks' prints")
  func plainPrintsOfTwoRuns() async throws {
    let first = TraceRecorder()
    let second = TraceRecorder()
    func printing(_ text: String, to recorder: TraceRecorder) async throws {
      _ = try await Tracer(sink: recorder, clock: ContinuousClock()).run {
        for _ in 0..<20 {
          print(text)
          await Task.yield()
        }
      }
    }
    async let one: Void = printing("one", to: first)
    async let two: Void = printing("two", to: second)
    _ = try await (one, two)
    #expect(first.events.map(\.kind) == Array(repeating: .print(text: "one"), count: 20))
    #expect(second.events.map(\.kind) == Array(repeating: .print(text: "two"), count: 20))
  }

  @Test("with no tracer running, scopes report nothing and cost no task-local lookups")
  func untraced() async throws {
    let recorder = TraceRecorder()
    _ = Tracer(sink: recorder, clock: ContinuousClock())
    try await withScope(LoggingScope("A", log: CallLog())) { Trace.emit(.print(text: "lost")) }
    #expect(recorder.events.isEmpty)
    #expect(!Trace.isActive)
  }
}
