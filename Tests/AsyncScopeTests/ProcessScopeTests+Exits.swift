import Clocks
import Foundation
import PosixThread
import Synchronization
import Testing

@testable import AsyncScope

// How exits are waited for (ProcessExits, a pidfd per child) and the teardown's grace on
// the scope's clock: part of the serialized ProcessScope suite.
extension ProcessScopeTests {
  @Test("ProcessExits: a watch fires once the child exits, not before; a gone pid at once")
  func exitWatch() async throws {
    let scope = ProcessScope(["sleep", "30"])
    let pid = try #require(
      try await withScope(scope) { handle -> Int32 in
        let exited = ProcessExits.shared.exit(of: handle.pid)
        try await Task.sleep(for: .milliseconds(100))
        #expect(exited.value == nil, "fired while the child still ran")
        #expect(kill(handle.pid, SIGKILL) == 0)
        // Bounded, so a watch that never fires fails here instead of hanging.
        try await withScope(Timeout(.seconds(5))) { try await exited.wait() }
        #expect(try await handle.wait() == .signaled(SIGKILL))
        return handle.pid
      })
    // Reaped by now: no process has that pid, and a watch says so at once.
    #expect(ProcessExits.shared.exit(of: pid).value != nil)
    await expectNothingLeft(pid: pid)
  }

  @Test("the grace period runs on the scope's clock: SIGKILL waits for a test clock")
  func graceOnTestClock() async throws {
    let clock = TestClock()
    let scope = ProcessScope(
      arguments: ["sh", "-c", "trap '' TERM; sleep 30"], grace: .seconds(5), clock: clock)
    let spawned = Mutex<Int32?>(nil)
    let run = Task {
      try await traced {
        try await withScope(scope) { handle in
          spawned.withLock { $0 = handle.pid }
          try await Task.sleep(for: .milliseconds(300))  // let the trap be set
          throw NamedError("Boom")
        }
      }
    }
    // Real time, generously: until the teardown has sent SIGTERM and waits out its grace.
    for _ in 0..<500 where ProcessScope.teardownsInGracePeriod == 0 {
      try await Task.sleep(for: .milliseconds(10))
    }
    #expect(ProcessScope.teardownsInGracePeriod > 0)
    // Real time passes, the test clock does not: no SIGKILL yet, the child still runs.
    try await Task.sleep(for: .milliseconds(300))
    let pid = try #require(spawned.withLock { $0 })
    #expect(Syscall.processInfo(pid).map { $0.state != "Z" } == true)
    await clock.advance(by: .seconds(5))
    let outcome = try await run.value
    #expect(outcome.error as? NamedError == NamedError("Boom"))
    let signals = outcome.events.filter { $0.kind.name == "signal" }.map(\.kind)
    #expect(
      signals == [.signal(pid: pid, signal: "SIGTERM"), .signal(pid: pid, signal: "SIGKILL")])
    #expect(outcome.kinds.contains(.status(pid: pid, status: "signaled(9)")))
    await expectNothingLeft(outcome)
  }
}

// The group's grace: what a teardown's SIGTERM reached gets the grace period to exit, not
// only the child (a loaded run once showed a sweep's SIGKILL 6 ms after SIGTERM).
extension ProcessScopeTests {
  /// `sh` running a grandchild that handles SIGTERM by exiting after `delay` (or, with
  /// `delay` nil, ignores it), and waiting; the body returns once the handler is set.
  private func groupWithSlowGrandchild(
    delay: String?, grace: Duration
  ) async throws -> TracedRun<Int32> {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("scopelab-grace-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let marker = directory.appendingPathComponent("ready").path
    let handler = delay.map { "sleep \($0); exit 0" } ?? ""
    let grandchild = "trap '\(handler)' TERM; : > \"$1\"; while :; do sleep 0.05; done"
    let scope = ProcessScope(
      arguments: ["sh", "-c", "sh -c \"$1\" grandchild \"$2\" & wait", "sh", grandchild, marker],
      grace: grace)
    return try await traced {
      try await withScope(scope) { handle -> Int32 in
        for _ in 0..<1000 where !FileManager.default.fileExists(atPath: marker) {
          try await Task.sleep(for: .milliseconds(10))
        }
        #expect(FileManager.default.fileExists(atPath: marker), "the handler was never set")
        throw NamedError("Boom")
      }
    }
  }

  @Test("PR2: a grandchild still exiting after SIGTERM gets the rest of the grace, no SIGKILL")
  func grandchildGetsTheGrace() async throws {
    let run = try await groupWithSlowGrandchild(delay: "0.3", grace: .seconds(10))
    let pid = try #require(run.pid)
    #expect(run.error as? NamedError == NamedError("Boom"))
    let signals = run.events.filter { $0.kind.name == "signal" }.map(\.kind)
    #expect(signals == [.signal(pid: pid, signal: "SIGTERM")])
    await expectNothingLeft(run)
  }

  @Test("PR2: a grandchild that ignores SIGTERM gets SIGKILL once the grace is over")
  func grandchildKilledAfterTheGrace() async throws {
    let run = try await groupWithSlowGrandchild(delay: nil, grace: .milliseconds(300))
    let pid = try #require(run.pid)
    #expect(run.error as? NamedError == NamedError("Boom"))
    let signals = run.events.filter { $0.kind.name == "signal" }
    #expect(
      signals.map(\.kind) == [
        .signal(pid: pid, signal: "SIGTERM"), .signal(pid: pid, signal: "SIGKILL"),
      ])
    if signals.count == 2 {
      #expect(signals[1].time - signals[0].time >= .milliseconds(300))
    }
    await expectNothingLeft(run)
  }
}
