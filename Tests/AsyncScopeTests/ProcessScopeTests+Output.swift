import Foundation
import Testing

@testable import AsyncScope

// Output capture and the process-wide controls: part of the serialized ProcessScope suite.
extension ProcessScopeTests {
  // MARK: - Output capture

  @Test("a child writing 1 MB does not deadlock; the trace is bounded")
  func largeOutput() async throws {
    let line = String(repeating: "x", count: 99)
    let scope = ProcessScope(arguments: ["sh", "-c", "yes \(line) | head -c 1048576"])
    let start = ContinuousClock.now
    let run = try await traced { try await withScope(scope) { try await $0.wait() } }
    #expect(run.value == .exited(0))
    #expect(ContinuousClock.now - start < .seconds(10))
    let output = run.kinds.filter { $0.name == "output" }
    let limit = ProcessOutputLimits().maxTotalBytes
    #expect(output.count <= limit / line.utf8.count + 2)
    #expect(
      output.last
        == .output(
          text: "[output truncated: more than \(limit) bytes]",
          stream: .stdout))
    await expectNothingLeft(run)
  }

  @Test("untraced, 1 MB of output goes nowhere and blocks nothing")
  func largeOutputUntraced() async throws {
    let scope = ProcessScope(arguments: ["sh", "-c", "head -c 1048576 /dev/zero"])
    let (status, pid) = try #require(await withScope(scope) { (try await $0.wait(), $0.pid) })
    #expect(status == .exited(0))
    await expectNothingLeft(pid: pid)
  }

  @Test("a long line is cut and marked")
  func longLineIsCut() async throws {
    let limits = ProcessOutputLimits(maxLineBytes: 10, maxTotalBytes: 1000)
    let scope = ProcessScope(
      arguments: ["sh", "-c", "echo 0123456789abcdef; echo short"], outputLimits: limits)
    let run = try await traced { try await withScope(scope) { try await $0.wait() } }
    #expect(
      run.kinds.filter { $0.name == "output" } == [
        .output(text: "0123456789 [line truncated]", stream: .stdout),
        .output(text: "short", stream: .stdout),
      ])
  }

  @Test("a grandchild holding the pipe open does not make exit hang")
  func grandchildHoldingPipe() async throws {
    let scope = ProcessScope(arguments: ["sh", "-c", "sleep 100 & echo hi"])
    let start = ContinuousClock.now
    let run = try await traced { try await withScope(scope) { try await $0.wait() } }
    #expect(ContinuousClock.now - start < .seconds(3))
    #expect(run.value == .exited(0))
    #expect(run.kinds.contains(.output(text: "hi", stream: .stdout)))
    await expectNothingLeft(run)
  }

  @Test("a grandchild that keeps writing after the child exited does not hang exit")
  func grandchildKeepsWriting() async throws {
    let scope = ProcessScope(arguments: ["sh", "-c", "yes & echo started"])
    let start = ContinuousClock.now
    let run = try await traced { try await withScope(scope) { try await $0.wait() } }
    #expect(ContinuousClock.now - start < .seconds(5))
    #expect(run.value == .exited(0))
    await expectNothingLeft(run)
  }

  // MARK: - Process-wide controls

  @Test("escalating skips the grace period and still reaps")
  func escalationSkipsGrace() async throws {
    let scope = ProcessScope(
      arguments: ["sh", "-c", "trap '' TERM; sleep 30"], grace: .seconds(30))
    let start = ContinuousClock.now
    let escalator = Task {
      // Wait until the teardown is in its grace period, then cut it short.
      while ProcessScope.escalateTeardowns() == 0 && !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(20))
      }
    }
    let run = try await traced {
      try await withScope(scope) { _ in
        try await Task.sleep(for: .milliseconds(300))
        throw NamedError("KeyboardInterrupt")
      }
    }
    escalator.cancel()
    #expect(ContinuousClock.now - start < .seconds(5))
    let pid = try #require(run.pid)
    #expect(run.kinds.contains(.signal(pid: pid, signal: "SIGKILL")))
    #expect(run.kinds.contains(.status(pid: pid, status: "signaled(9)")))
    #expect(run.kinds.contains(.reaped(pid: pid)))
    await expectNothingLeft(run)
  }

  @Test("killAllLiveGroups kills every live child group at once")
  func killAllLiveGroups() async throws {
    let scope = ProcessScope(arguments: ["sh", "-c", "sleep 30 & sleep 30"])
    let (status, pid) = try #require(
      await withScope(scope) { handle in
        #expect(ProcessScope.killAllLiveGroups() >= 1)
        return (try await handle.wait(), handle.pid)
      })
    #expect(status == .signaled(9))
    await expectNothingLeft(pid: pid)
  }
}
