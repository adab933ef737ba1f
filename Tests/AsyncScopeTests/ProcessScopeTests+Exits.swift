import Clocks
import Foundation
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
    #expect(ProcessSyscalls.processInfo(pid).map { $0.state != "Z" } == true)
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
