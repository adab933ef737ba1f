import AsyncScope

#if canImport(Glibc)
  import Glibc
#endif

/// The state of one run shared by its stoppers (the timer, a cancellation) and the run:
/// the pid once spawned, its exit, why it is being stopped, whether it was killed.
final class PythonWatch: Sendable {
  private struct State {
    var stopped: PythonRunner.Stop?
    var killed = false
  }
  private let state = Locked(State())
  /// The pid once spawned; nil if the run ended without one (the spawn failed).
  private let pid = ProcessLatch<Int32?>()
  /// Fulfilled once Python has exited (``ProcessExits``: no polling).
  private let exited = ProcessLatch<Void>()

  /// Called in swift-subprocess's body, before it may reap Python.
  func spawned(_ pid: Int32) {
    ProcessExits.shared.onExit(of: pid) { [exited] in exited.fulfil(()) }
    self.pid.fulfil(pid)
  }

  /// Starts stopping the run, once, unless Python has exited: AsyncScope's process
  /// teardown with SIGINT first, SIGKILL to the group after `grace` - or at once at a
  /// second Ctrl-C (``ProcessScope/escalateTeardowns()``), as for a process scope. It runs
  /// in a task of its own, so it finishes even if the caller is cancelled.
  func stop(_ reason: PythonRunner.Stop, grace: Duration) {
    let first = state.withLock { state in
      guard exited.value == nil, state.stopped == nil else { return false }
      state.stopped = reason
      return true
    }
    guard first else { return }
    Task {
      // A stop that comes while Python is being spawned waits for its pid.
      guard let pid = await self.pid.waitUncancelled() else { return }
      let teardown = ProcessTeardown(
        pid: pid, exited: exited, grace: grace, clock: ContinuousClock())
      await teardown.run(first: SIGINT, escalates: true) { signal in
        if signal == SIGKILL { self.state.withLock { $0.killed = true } }
      }
    }
  }

  /// Marks the run as ended (reaped, or never spawned); its pid, why it was stopped, and
  /// whether it was killed.
  func ended() -> (pid: Int32?, stopped: PythonRunner.Stop?, killed: Bool) {
    pid.fulfil(nil)
    exited.fulfil(())
    return state.withLock { state in (pid.value ?? nil, state.stopped, state.killed) }
  }
}
