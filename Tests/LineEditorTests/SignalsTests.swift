import Glibc
import Synchronization
import Testing

@testable import LineEditor

/// The one signal path: the handler writes the number to a pipe, the dispatcher thread
/// calls the stop handler. SIGUSR1 and SIGUSR2 stand in for SIGTERM and SIGHUP, which
/// must not be caught in the test process; they are sent to the process (`kill`), as a
/// signal from outside is, not to the calling thread, which may block them.
@Suite(.serialized)
struct SignalsTests {
  /// Waits up to 10 s for `condition`.
  private func eventually(_ condition: () -> Bool) async throws -> Bool {
    for _ in 0..<1000 {
      if condition() { return true }
      try await Task.sleep(for: .milliseconds(10))
    }
    return condition()
  }

  @Test func aCaughtStopSignalCallsTheHandlerWithItsNumber() async throws {
    let received = Mutex<[CInt]>([])
    #expect(
      Signals.shared.catchStops([SIGUSR1, SIGUSR2]) { signal in
        received.withLock { $0.append(signal) }
      })
    defer { Signals.shared.ignoreStops() }
    #expect(kill(getpid(), SIGUSR1) == 0)
    #expect(try await eventually { received.withLock { $0 == [SIGUSR1] } })
    #expect(kill(getpid(), SIGUSR2) == 0)
    #expect(try await eventually { received.withLock { $0 == [SIGUSR1, SIGUSR2] } })
  }

  @Test func afterIgnoreStopsASignalIsDroppedAndTheProcessLives() async throws {
    let calls = Mutex(0)
    Signals.shared.catchStops([SIGUSR1]) { _ in calls.withLock { $0 += 1 } }
    Signals.shared.ignoreStops()
    #expect(kill(getpid(), SIGUSR1) == 0)
    // `kill` may hand the signal to another thread, whose handler runs later: a busy
    // machine ran it after the next `catchStops`, in the new generation. Wait until it is
    // no longer pending (delivered), and a little for its handler to end.
    #expect(try await eventually { !isPending(SIGUSR1) })
    try await Task.sleep(for: .milliseconds(50))
    // A handler put back later sees only what comes after it.
    Signals.shared.catchStops([SIGUSR1]) { _ in calls.withLock { $0 += 10 } }
    defer { Signals.shared.ignoreStops() }
    #expect(kill(getpid(), SIGUSR1) == 0)
    #expect(try await eventually { calls.withLock { $0 >= 10 } })
    try await Task.sleep(for: .milliseconds(100))
    #expect(calls.withLock { $0 } == 10)
  }
}

/// Whether `signal` is pending for this process (or the calling thread).
private func isPending(_ signal: CInt) -> Bool {
  var pending = sigset_t()
  sigemptyset(&pending)
  return sigpending(&pending) == 0 && sigismember(&pending, signal) == 1
}
