import AsyncScope
import Clocks
import Synchronization
import TestSupport
import Testing

/// TG1-TG5 on a test clock, where real time is not the point. A test advances the clock
/// only once every sleep it expects has begun (``Sleeps``), as TimeoutTests waits for
/// enter before advancing.
@Suite("TG: the task group scope")
struct TaskGroupScopeTests {
  // MARK: - TG1 the body runs; each addTask starts a task at once

  @Test("TG1: each addTask runs its task at once, up to its first await, before the body goes on")
  func tasksStartAtOnce() async throws {
    let log = CallLog()
    let value = try await withScope(TaskGroupScope()) { group in
      group.addTask { log.add("a") }
      log.add("body goes on")
      group.addTask { log.add("b") }
      // Tasks that never suspend have run to their end before addTask returned: the
      // order is fixed, every run.
      #expect(log.all == ["a", "body goes on", "b"])
      log.add("body returns")
      return 42
    }
    #expect(value == 42)
    #expect(log.all == ["a", "body goes on", "b", "body returns"])
  }

  @Test("TG1: once a task awaits, the body goes on while the task waits and runs")
  func bodyGoesOnAtTheFirstAwait() async throws {
    let log = CallLog()
    try await withScope(TaskGroupScope()) { group in
      group.addTask {
        log.add("task starts")
        // Waits for the body's next line: were addTask to wait for the whole task, the
        // body would never get there, and this wait fails after 10 s.
        try await waitUntil { log.all.contains("body goes on") }
        log.add("task ends")
      }
      log.add("body goes on")
    }
    #expect(log.all == ["task starts", "body goes on", "task ends"])
  }

  @Test("TG1: a task added from another task also runs at once, up to its first await")
  func taskFromATaskStartsAtOnce() async throws {
    let log = CallLog()
    try await withScope(TaskGroupScope()) { group in
      group.addTask {
        try await Task.sleep(for: .milliseconds(1))
        // Now in a task of the group, not the body's: the task it adds runs apart.
        group.addTask { log.add("inner") }
        log.add("outer goes on")
      }
    }
    #expect(log.all == ["inner", "outer goes on"])
  }

  @Test("TG1: a group entered on an actor whose tasks call back into that actor")
  func tasksCallBackIntoTheCallersActor() async throws {
    // Tasks that run at once on the caller's thread find the actor busy with the caller;
    // they wait for it, and get it once the caller awaits the group.
    let counter = BumpCounter()
    #expect(try await counter.countInAGroup(tasks: 10) == 10)
  }

  @Test("A group with no tasks is a plain scope: the body's value, or its error")
  func noTasks() async throws {
    let value = try await withScope(TaskGroupScope()) { _ in "plain" }
    #expect(value == "plain")
    await #expect(throws: NamedError("KeyError")) {
      try await withScope(TaskGroupScope()) { _ in throw NamedError("KeyError") }
    }
  }

  // MARK: - TG2 exit waits for every task

  @Test("TG2: after a normal body end the group waits for its last task")
  func waitsAfterNormalEnd() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let log = CallLog()
    let finished = Flag()
    let task = Task {
      try await withScope(TaskGroupScope()) { group in
        group.addTask {
          try await sleeps.sleep(1)
          log.add("1s task done")
        }
        group.addTask {
          try await sleeps.sleep(2)
          log.add("2s task done")
        }
        log.add("body done")
      }
      finished.set()
    }
    try await sleeps.waitForBegun(2)
    await clock.advance(by: .seconds(1))
    try await waitUntil { log.all.count == 2 }
    try await sleep(0.05)  // room for a group that returns too early
    #expect(!finished.isSet)
    await clock.advance(by: .seconds(1))
    try await task.value
    #expect(log.all == ["body done", "1s task done", "2s task done"])
  }

  @Test("TG2: after the body failed the group still waits for a task's cleanup")
  func waitsAfterFailure() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let log = CallLog()
    let finished = Flag()
    let task = Task {
      defer { finished.set() }
      try await withScope(TaskGroupScope()) { group in
        group.addTask {
          do {
            try await sleeps.sleep(10)
          } catch {
            // Cleanup that must finish, even though the task is cancelled.
            try await withUncancelledTask { try await sleeps.sleep(1) }
            log.add("cleanup done")
            throw error
          }
        }
        try await sleeps.waitForBegun(1)
        throw NamedError("KeyError")
      }
    }
    try await sleeps.waitForBegun(2)
    try await sleep(0.05)
    #expect(!finished.isSet)
    await clock.advance(by: .seconds(1))
    await #expect(throws: NamedError("KeyError")) { try await task.value }
    #expect(log.all == ["cleanup done"])
  }

  @Test("A task can start further tasks in its group; the group waits for them too")
  func taskStartsTask() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let log = CallLog()
    let finished = Flag()
    let task = Task {
      try await withScope(TaskGroupScope()) { group in
        group.addTask {
          try await sleeps.sleep(1)
          group.addTask {
            try await sleeps.sleep(1)
            log.add("second done")
          }
          log.add("first done")
        }
      }
      finished.set()
    }
    try await sleeps.waitForBegun(1)
    await clock.advance(by: .seconds(1))
    // The body and the first task have ended; the second has only begun.
    try await sleeps.waitForBegun(2)
    try await sleep(0.05)
    #expect(!finished.isSet)
    #expect(log.all == ["first done"])
    await clock.advance(by: .seconds(1))
    try await task.value
    #expect(log.all == ["first done", "second done"])
  }

  // MARK: - TG3 the first failure cancels everything and is thrown

  @Test("TG3: a failing task cancels the body and the other tasks; its error is thrown as is")
  func failingTaskCancelsAll() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let log = CallLog()
    let task = Task {
      try await withScope(TaskGroupScope()) { group in
        group.addTask {
          try await logCancellation("sibling", log) { try await sleeps.sleep(10) }
        }
        group.addTask {
          try await sleeps.sleep(1)
          throw NamedError("KeyError")
        }
        try await logCancellation("body", log) { try await sleeps.sleep(10) }
        log.add("body went on")
      }
    }
    try await sleeps.waitForBegun(3)
    await clock.advance(by: .seconds(1))
    let error = await #expect(throws: NamedError.self) { try await task.value }
    #expect(error == NamedError("KeyError"))
    #expect(Set(log.all) == ["sibling cancelled", "body cancelled"])
  }

  @Test("TG3: a failing body cancels every task; its error is the group's")
  func failingBodyCancelsTasks() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let log = CallLog()
    await #expect(throws: NamedError("ValueError")) {
      try await withScope(TaskGroupScope()) { group in
        for name in ["a", "b"] {
          group.addTask { try await logCancellation(name, log) { try await sleeps.sleep(10) } }
        }
        try await sleeps.waitForBegun(2)
        throw NamedError("ValueError")
      }
    }
    #expect(Set(log.all) == ["a cancelled", "b cancelled"])
  }

  @Test("TG3: a group with two failures throws the first as itself: `catch is KeyError`")
  func twoFailuresThrowTheFirst() async throws {
    struct KeyError: Error {}
    struct ValueError: Error {}
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let task = Task {
      try await withScope(TaskGroupScope()) { group in
        group.addTask {
          try await sleeps.sleep(1)
          throw KeyError()
        }
        group.addTask {
          // A cleanup that fails once the first failure has cancelled it.
          do { try await sleeps.sleep(10) } catch { throw ValueError() }
        }
      }
    }
    try await sleeps.waitForBegun(2)
    await clock.advance(by: .seconds(1))
    var caught = false
    do {
      try await task.value
      Issue.record("no error")
    } catch is KeyError {
      caught = true
    }
    #expect(caught)
  }

  @Test("TG3: a traced run keeps the other tasks' errors beside the first, in order")
  func othersAsContext() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let task = Task {
      await failureInTracedRun {
        try await withScope(TaskGroupScope()) { group in
          group.addTask {
            try await sleeps.sleep(1)
            throw NamedError("KeyError")
          }
          group.addTask {
            // A cleanup that fails once the first failure has cancelled it; after an
            // exit's error replaced it, which the account keeps too.
            try await withScope(
              LoggingScope("A", log: CallLog(), exitError: NamedError("ExitError"))
            ) {
              do { try await sleeps.sleep(10) } catch { throw NamedError("ValueError") }
            }
          }
        }
      }
    }
    try await sleeps.waitForBegun(2)
    await clock.advance(by: .seconds(1))
    let (error, chain) = try #require(await task.value)
    #expect(error as? NamedError == NamedError("KeyError"))
    #expect(chain.description() == "KeyError, and 1 more: ExitError during handling of ValueError")
    // Not a W3 replacement: nothing was "during handling of" the first failure.
    #expect(chain.contextDescription == nil)
  }

  @Test("TG3: two later failures are both named, the first failure first")
  func twoOthers() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let task = Task {
      await failureInTracedRun {
        try await withScope(TaskGroupScope()) { group in
          group.addTask {
            try await sleeps.sleep(1)
            throw NamedError("KeyError")
          }
          for name in ["ValueError", "OSError"] {
            group.addTask {
              do { try await sleeps.sleep(10) } catch { throw NamedError(name) }
            }
          }
        }
      }
    }
    try await sleeps.waitForBegun(3)
    await clock.advance(by: .seconds(1))
    let (error, chain) = try #require(await task.value)
    // The two cleanups fail in either order.
    let text = chain.description()
    #expect(
      text == "KeyError, and 2 more: ValueError, OSError"
        || text == "KeyError, and 2 more: OSError, ValueError", "\(text)")
    #expect(error as? NamedError == NamedError("KeyError"))
  }

  @Test("TG3: a task's own CancellationError is not a failure: the others go on")
  func taskCancellationIsNotAFailure() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let log = CallLog()
    let task = Task {
      try await withScope(TaskGroupScope()) { group in
        group.addTask { throw CancellationError() }
        group.addTask {
          try await logCancellation("sibling", log) { try await sleeps.sleep(1) }
          log.add("sibling done")
        }
        return "ok"
      }
    }
    try await sleeps.waitForBegun(1)
    await clock.advance(by: .seconds(1))
    #expect(try await task.value == "ok")
    #expect(log.all == ["sibling done"])
  }

  @Test("A body's own CancellationError cancels no task; it is rethrown once they end")
  func bodyCancellationIsNotAFailure() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let log = CallLog()
    let task = Task {
      try await withScope(TaskGroupScope()) { group in
        group.addTask {
          try await logCancellation("task", log) { try await sleeps.sleep(1) }
          log.add("task done")
        }
        try await sleeps.waitForBegun(1)
        throw CancellationError()
      }
    }
    try await sleeps.waitForBegun(1)
    await clock.advance(by: .seconds(1))
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(log.all == ["task done"])
  }

  // MARK: - TG4 outside cancellation

  @Test("TG4: cancelling the caller (Ctrl-C) cancels body and tasks; exit waits; CancellationError")
  func outsideCancellation() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let log = CallLog()
    let finished = Flag()
    let task = Task {
      defer { finished.set() }
      try await withScope(TaskGroupScope()) { group in
        group.addTask {
          do {
            try await sleeps.sleep(10)
          } catch {
            try await withUncancelledTask { try await sleeps.sleep(1) }
            log.add("task cleaned up")
            throw error
          }
        }
        try await logCancellation("body", log) { try await sleeps.sleep(10) }
      }
    }
    try await sleeps.waitForBegun(2)
    task.cancel()
    try await sleeps.waitForBegun(3)  // the task's cleanup
    try await sleep(0.05)
    #expect(!finished.isSet)
    await clock.advance(by: .seconds(1))
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(Set(log.all) == ["body cancelled", "task cleaned up"])
  }

  @Test(
    "TG4: an enclosing timeout cancels the group; the group reports it; the timeout converts",
    arguments: [false, true])
  func enclosingTimeoutConverts(bodyWaits: Bool) async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let timeout = Timeout(.seconds(1), clock: clock)
    let recorder = TraceRecorder()
    let task = Task {
      try await Tracer(sink: recorder, clock: clock).run {
        try await withScope(timeout) {
          try await withScope(TaskGroupScope()) { group in
            group.addTask { try await sleeps.sleep(5) }
            group.addTask { try await sleeps.sleep(5) }
            if bodyWaits { try await sleeps.sleep(5) }
          }
        }
      }
    }
    try await sleeps.waitForBegun(bodyWaits ? 3 : 2)
    await clock.advance(by: .seconds(1))
    await #expect(throws: TimeoutError.self) { _ = try await task.value }
    #expect(timeout.phase == .expired)
    // The body either returned before the deadline (then the group's exit, told that
    // its caller is cancelled, reports the cancellation that cut its tasks short) or
    // was itself cancelled (then the cancellation simply goes on).
    let groupExit = recorder.events.filter { $0.scope?.name == "group" }.map(\.kind)
    #expect(
      groupExit.suffix(2)
        == (bodyWaits
          ? [
            .exit(error: "CancellationError", expired: nil),
            .exitDone(error: "CancellationError", step: nil),
          ]
          : [
            .exit(error: nil, expired: nil),
            .exitDone(error: "CancellationError", step: .raised(replacing: nil)),
          ]))
    #expect(recorder.events.last?.kind == .exitDone(error: "TimeoutError", step: .converted))
  }

  // A task that throws KeyError exactly at its timeout's deadline. The rule: the timeout
  // converts only if its body (the group) ended with a cancellation (TO3.2). If the
  // task's KeyError was raised before the deadline's cancellation reached it, that is the
  // group's first failure, and it wins; otherwise the task ends cancelled, nothing
  // failed, the group reports the cancellation and the timeout converts. Never ok, never
  // a bare CancellationError, and the outcome always matches what the task did.

  @Test("TG3 vs TO3: a task throws exactly at the deadline (test clock), 20 times")
  func failureAtTheDeadlineTestClock() async throws {
    var outcomes: [String: Int] = [:]
    for _ in 0..<20 {
      let clock = TestClock()
      let sleeps = Sleeps(clock)
      let log = CallLog()
      let timeout = Timeout(.seconds(1), clock: clock)
      let task = Task {
        try await withScope(timeout) {
          try await withScope(TaskGroupScope()) { group in
            group.addTask {
              try await logCancellation("task", log) { try await sleeps.sleep(1) }
              log.add("raising")
              throw NamedError("KeyError")
            }
          }
        }
      }
      try await sleeps.waitForBegun(1)
      await clock.advance(by: .seconds(1))
      let outcome = await outcomeName { _ = try await task.value }
      outcomes[outcome, default: 0] += 1
      expectDeadlineRule(outcome, log: log.all, timeout: timeout.phase)
    }
    // The test clock ends the timer's sleep first (it was registered first, at enter),
    // so in practice this is TimeoutError every time; the real clock below races.
    #expect(outcomes.values.reduce(0, +) == 20, "\(outcomes)")
  }

  @Test("TG3 vs TO3: a task throws exactly at the deadline (real clock), 20 times")
  func failureAtTheDeadlineRealClock() async throws {
    for _ in 0..<20 {
      let clock = ContinuousClock()
      let deadline = clock.now.advanced(by: .milliseconds(5))
      let log = CallLog()
      let timeout = Timeout(at: deadline, clock: clock)
      let outcome = await outcomeName {
        try await withScope(timeout) {
          try await withScope(TaskGroupScope()) { group in
            group.addTask {
              try await logCancellation("task", log) {
                try await Task.sleep(until: deadline, clock: clock)
              }
              log.add("raising")
              throw NamedError("KeyError")
            }
          }
        }
      }
      expectDeadlineRule(outcome, log: log.all, timeout: timeout.phase)
    }
  }

  @Test("A task that fails after the deadline cancelled it: its error wins, noted (TO4)")
  func failureAfterTheDeadline() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let task = Task {
      await failureInTracedRun {
        try await withScope(Timeout(.seconds(1), clock: clock)) {
          try await withScope(TaskGroupScope()) { group in
            group.addTask {
              do { try await sleeps.sleep(5) } catch { throw NamedError("KeyError") }
            }
          }
        }
      }
    }
    try await sleeps.waitForBegun(1)
    await clock.advance(by: .seconds(1))
    let (error, chain) = try #require(await task.value)
    #expect(error as? NamedError == NamedError("KeyError"))
    #expect(chain.description() == "KeyError (timeout expired at 1.00s)")
  }

  // MARK: - TG5 a task that ignores cancellation keeps the group open

  @Test("TG5: a task that never checks cancellation keeps a failed group open until it ends")
  func busyTaskKeepsGroupOpen() async throws {
    let log = CallLog()
    let start = ContinuousClock.now
    await #expect(throws: NamedError("KeyError")) {
      try await withScope(TaskGroupScope()) { group in
        group.addTask {
          busy(0.3)
          log.add("busy done")
        }
        group.addTask { throw NamedError("KeyError") }
      }
    }
    #expect(log.all == ["busy done"])
    #expect(secondsSince(start) >= 0.29)
  }

  @Test("TG5 and TO4: a busy task outlives its timeout's deadline; the group's value stands")
  func busyTaskUnderTimeout() async throws {
    let timeout = Timeout(.milliseconds(50))
    let start = ContinuousClock.now
    let value = try await withScope(timeout) {
      try await withScope(TaskGroupScope()) { group in
        group.addTask { busy(0.3) }
        return 7
      }
    }
    #expect(value == 7)
    #expect(timeout.expired)
    #expect(secondsSince(start) >= 0.29)
  }

  // MARK: - Nesting and size

  @Test("Nested groups: an inner failure fails its group, then the outer, cancelling all")
  func nestedGroups() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let log = CallLog()
    let task = Task {
      try await withScope(TaskGroupScope()) { outer in
        outer.addTask {
          try await withScope(TaskGroupScope()) { inner in
            inner.addTask {
              try await sleeps.sleep(1)
              throw NamedError("KeyError")
            }
            inner.addTask {
              try await logCancellation("inner sibling", log) { try await sleeps.sleep(10) }
            }
          }
          log.add("after inner group")
        }
        outer.addTask {
          try await logCancellation("outer sibling", log) { try await sleeps.sleep(10) }
        }
      }
    }
    try await sleeps.waitForBegun(3)
    await clock.advance(by: .seconds(1))
    let error = await #expect(throws: NamedError.self) { try await task.value }
    #expect(error == NamedError("KeyError"))
    #expect(Set(log.all) == ["inner sibling cancelled", "outer sibling cancelled"])
  }

  @Test("Nested groups: cancelling the caller reaches the inner group's tasks")
  func nestedCancellation() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let log = CallLog()
    let task = Task {
      try await withScope(TaskGroupScope()) { outer in
        outer.addTask {
          try await withScope(TaskGroupScope()) { inner in
            inner.addTask {
              try await logCancellation("inner task", log) { try await sleeps.sleep(10) }
            }
          }
        }
      }
    }
    try await sleeps.waitForBegun(1)
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(log.all == ["inner task cancelled"])
  }

  @Test("A group of 100 tasks runs every one of them")
  func hundredTasks() async throws {
    let ran = Mutex<[Int]>([])
    try await withScope(TaskGroupScope()) { group in
      for index in 0..<100 {
        group.addTask {
          await Task.yield()
          ran.withLock { $0.append(index) }
        }
      }
    }
    #expect(ran.withLock { $0.sorted() } == Array(0..<100))
  }

  @Test("A group of 100 tasks: one failure cancels the other 99")
  func hundredTasksOneFails() async throws {
    let clock = TestClock()
    let sleeps = Sleeps(clock)
    let cancelled = Mutex(0)
    let task = Task {
      try await withScope(TaskGroupScope()) { group in
        for _ in 0..<99 {
          group.addTask {
            do { try await sleeps.sleep(10) } catch {
              cancelled.withLock { $0 += 1 }
              throw error
            }
          }
        }
        group.addTask {
          try await sleeps.sleep(1)
          throw NamedError("KeyError")
        }
      }
    }
    try await sleeps.waitForBegun(100)
    await clock.advance(by: .seconds(1))
    await #expect(throws: NamedError("KeyError")) { try await task.value }
    #expect(cancelled.withLock { $0 } == 99)
  }

  // MARK: - Misuse and late use

  @Test("addTask after the group has ended does nothing: the operation never runs")
  func addTaskAfterEnd() async throws {
    let kept = Mutex<TaskGroupHandle?>(nil)
    let ran = Flag()
    try await withScope(TaskGroupScope()) { group in
      kept.withLock { $0 = group }
    }
    let handle = try #require(kept.withLock { $0 })
    handle.addTask { ran.set() }
    try await sleep(0.05)
    #expect(!ran.isSet)
  }

  @Test("A task added while the group is being cancelled starts, already cancelled")
  func addTaskWhileCancelling() async throws {
    let log = CallLog()
    await #expect(throws: NamedError("KeyError")) {
      try await withScope(TaskGroupScope()) { group in
        group.addTask {
          do {
            try await sleep(10)
          } catch {
            group.addTask {
              log.add("late task started, cancelled=\(Task.isCancelled)")
              try await logCancellation("late task", log) { try await sleep(10) }
            }
            throw error
          }
        }
        group.addTask { throw NamedError("KeyError") }
      }
    }
    #expect(log.all == ["late task started, cancelled=true", "late task cancelled"])
  }

  @Test("W6: a group entered twice fails the second enter")
  func singleUse() async throws {
    let group = TaskGroupScope()
    try await withScope(group) { _ in }
    await #expect(
      throws: ScopeUsageError("group has already been entered; a scope value is single-use")
    ) {
      try await withScope(group) { _ in }
    }
  }

  // MARK: - A process in a task

  @Test("A process inside a task is torn down when a sibling fails; nothing is left in /proc")
  func processTornDownOnSiblingFailure() async throws {
    let process = ProcessScope(arguments: ["sleep", "10"], grace: .seconds(1))
    let recorder = TraceRecorder()
    let spawned = Mutex<Int32?>(nil)
    let start = ContinuousClock.now
    let outcome = await outcomeName {
      _ = try await Tracer(sink: recorder, clock: ContinuousClock()).run {
        try await withScope(TaskGroupScope()) { group in
          group.addTask {
            try await withScope(process) { handle in
              spawned.withLock { $0 = handle.pid }
              _ = try await handle.wait()
            }
          }
          group.addTask {
            try await waitUntil { spawned.withLock { $0 } != nil }
            try await sleep(0.1)
            throw NamedError("KeyError")
          }
        }
      }
    }
    #expect(outcome == "KeyError")
    // SIGTERM ends `sleep` at once: no waiting out the grace period, no SIGKILL.
    #expect(secondsSince(start) < 3)
    let pid = try #require(spawned.withLock { $0 })
    let kinds = recorder.events.map(\.kind)
    #expect(kinds.contains(.exit(error: "CancellationError", expired: nil)))
    #expect(kinds.contains(.signal(pid: pid, signal: "SIGTERM")))
    #expect(!kinds.contains(.signal(pid: pid, signal: "SIGKILL")))
    #expect(kinds.contains(.status(pid: pid, status: "signaled(15)")))
    #expect(kinds.contains(.reaped(pid: pid)))
    #expect(ProcessTable.entry(pid) == nil, "the child is still in /proc: not reaped")
    let left = await ProcessInspection.leftoversAfterSettling(group: pid)
    #expect(left.filter { $0.group == pid || $0.pid == pid }.isEmpty, "left behind: \(left)")
  }

  // MARK: - Trace and task-locals

  @Test("TG6: the group is traced like any scope, and each task as a scope entered as added")
  func traced() async throws {
    let recorder = TraceRecorder()
    _ = try await Tracer(sink: recorder, clock: ContinuousClock()).run {
      try await withScope(TaskGroupScope()) { group in
        group.addTask {
          try await sleep(0.1)
          Trace.emit(.print(text: "first"))
        }
        group.addTask { Trace.emit(.print(text: "second")) }
      }
    }
    let events = recorder.events.map { event -> String in
      var line = "\(event.depth) \(event.scope?.id ?? "-") \(event.kind.name)"
      if case .print(let text) = event.kind { line += " " + text }
      return line
    }
    #expect(
      events == [
        "0 group#1 enter", "1 task#1 enter", "1 task#2 enter", "2 - print second",
        "1 task#2 exit", "1 task#2 exit-done", "2 - print first", "1 task#1 exit",
        "1 task#1 exit-done", "0 group#1 exit", "0 group#1 exit-done",
      ])
  }

  @Test("Each traced task has a number of its own: main is 1, tasks 2, 3, 4 as added")
  func tracedTaskNumbers() async throws {
    // Twice: the numbering is the same from run to run, whichever task runs first.
    var runs: [[String]] = []
    for _ in 0..<2 {
      let recorder = TraceRecorder()
      _ = try await Tracer(sink: recorder, clock: ContinuousClock()).run {
        try await withScope(TaskGroupScope()) { group in
          for (name, delay) in [("a", 0.1), ("b", 0.0), ("c", 0.05)] {
            group.addTask {
              try await sleep(delay)
              try await withScope(DecidingScope(name)) { Trace.emit(.print(text: name)) }
            }
          }
        }
        Trace.emit(.print(text: "after"))
      }
      let events = recorder.events
      #expect(events.allSatisfy { $0.task != nil }, "every event tells its task")
      let tasksOf = Dictionary(grouping: events.filter { $0.scope != nil }, by: \.scope!.id)
        .mapValues { Set($0.map(\.task)) }
      #expect(tasksOf.values.allSatisfy { $0.count == 1 }, "a scope's events, one task: \(tasksOf)")
      // Whatever the order of events, each carries the number of the task it belongs to.
      runs.append(
        events.map { event in
          if case .print(let text) = event.kind { return "\(event.task ?? 0) print \(text)" }
          return "\(event.task ?? 0) \(event.scope?.id ?? "-") \(event.kind.name)"
        }.sorted())
    }
    #expect(runs[0] == runs[1])
    let numbered = Set(runs[0].filter { !$0.hasSuffix(" exit") && !$0.hasSuffix("-done") })
    #expect(
      numbered == [
        "1 group#1 enter", "2 task#1 enter", "3 task#2 enter", "4 task#3 enter",
        "2 a#1 enter", "3 b#1 enter", "4 c#1 enter", "2 print a", "3 print b", "4 print c",
        "1 print after",
      ])
  }

  @Test("TG6: a traced task's exit names the error it ended with")
  func tracedFailure() async throws {
    let recorder = TraceRecorder()
    _ = try? await Tracer(sink: recorder, clock: ContinuousClock()).run {
      try await withScope(TaskGroupScope()) { group in
        group.addTask { throw NamedError("KeyError") }
      }
    }
    let task = recorder.events.filter { $0.scope?.id == "task#1" }.map(\.kind)
    #expect(
      task == [
        .enter, .exit(error: "KeyError", expired: nil), .exitDone(error: "KeyError", step: nil),
      ])
  }

  @Test("Untraced, addTask adds no scope of its own")
  func untracedTasks() async throws {
    let ran = Mutex(false)
    _ = try await withScope(TaskGroupScope()) { group in
      group.addTask {
        ran.withLock { $0 = true }
        #expect(!Trace.isActive)
      }
    }
    #expect(ran.withLock { $0 })
  }

  @Test("Tasks inherit the enclosing timeouts (the task-local deadline stack)")
  func tasksInheritTimeoutStack() async throws {
    let timeout = Timeout(.seconds(10))
    let seen = Mutex<Bool?>(nil)
    try await withScope(timeout) {
      try await withScope(TaskGroupScope()) { group in
        group.addTask {
          let innermost = TimeoutStack.innermost
          seen.withLock { $0 = innermost === timeout }
        }
      }
    }
    #expect(seen.withLock { $0 } == true)
  }
}

// MARK: - Helpers

/// Sleeps on a test clock and counts the sleeps begun, so that a test advances the clock
/// only once each sleep it means to end is registered.
final class Sleeps: Sendable {
  let clock: TestClock<Duration>
  private let begun = Mutex(0)

  init(_ clock: TestClock<Duration>) {
    self.clock = clock
  }

  func sleep(_ seconds: Int) async throws {
    begun.withLock { $0 += 1 }
    try await clock.sleep(for: .seconds(seconds))
  }

  /// Waits (in real time) until `count` sleeps have begun, then lets them register.
  func waitForBegun(_ count: Int) async throws {
    try await waitUntil { begun.withLock { $0 } >= count }
    for _ in 0..<10 { await Task.yield() }
  }
}

/// Runs `operation`; if it throws a cancellation, logs "NAME cancelled" and rethrows.
func logCancellation(
  _ name: String, _ log: CallLog, _ operation: () async throws -> Void
) async throws {
  do {
    try await operation()
  } catch is CancellationError {
    log.add("\(name) cancelled")
    throw CancellationError()
  }
}

/// The outcome of `operation` by name: `ok`, or its error's name.
func outcomeName(_ operation: () async throws -> Void) async -> String {
  do {
    try await operation()
    return "ok"
  } catch {
    return errorName(error)
  }
}

/// Checks the rule for a task that throws KeyError at its timeout's deadline.
func expectDeadlineRule(
  _ outcome: String, log: [String], timeout phase: TimeoutPhase,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  switch outcome {
  case "KeyError": #expect(log == ["raising"], sourceLocation: sourceLocation)
  case "TimeoutError": #expect(log == ["task cancelled"], sourceLocation: sourceLocation)
  default: Issue.record("wrong outcome \(outcome), task did \(log)", sourceLocation: sourceLocation)
  }
  #expect(phase == .expired, sourceLocation: sourceLocation)
}

/// Spins for `seconds` of real time without a suspension point: `busy`, which never
/// sees its cancellation.
func busy(_ seconds: Double) {
  let end = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
  while ContinuousClock.now < end {}
}

/// An actor that runs a group from inside its isolation, the group's tasks calling back.
private actor BumpCounter {
  private var count = 0

  func bump() { count += 1 }

  func countInAGroup(tasks: Int) async throws -> Int {
    try await withScope(TaskGroupScope()) { group in
      for _ in 0..<tasks { group.addTask { await self.bump() } }
    }
    return count
  }
}
