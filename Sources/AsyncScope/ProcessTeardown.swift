import PosixThread

/// The one process teardown, for a process scope's child and for a `compare` Python run:
/// a first signal to the child's process group, up to a grace period for the child to
/// exit, then SIGKILL to the group.
///
/// Nothing polls: the wait ends at whichever comes first of the child's exit
/// (``ProcessExits``, a pidfd), the end of the grace period (the ``DeadlineTimer`` thread
/// on the continuous clock) and, for a process scope, ``ProcessScope/escalateTeardowns()``.
/// Nothing is reaped here: the child's owner does that once it has exited.
package struct ProcessTeardown: Sendable {
  /// The child; also its process group id.
  package let pid: Int32
  /// Fulfilled once the child has exited.
  package let exited: ProcessLatch<Void>
  package let grace: Duration
  package let clock: any Clock<Duration>

  package init(
    pid: Int32, exited: ProcessLatch<Void>, grace: Duration, clock: any Clock<Duration>
  ) {
    self.pid = pid
    self.exited = exited
    self.grace = grace
    self.clock = clock
  }

  /// Sends `first` to the group, waits up to the grace period for the child to exit, then
  /// sends SIGKILL to the group; returns once the child has exited. A group that is gone
  /// gets no signal.
  ///
  /// - Parameters:
  ///   - first: the signal that asks the child to end: SIGTERM, SIGINT for Python.
  ///   - escalates: whether ``ProcessScope/escalateTeardowns()`` cuts the grace short.
  ///   - willSignal: called with each signal just before it is sent (the trace's line).
  /// - Returns: whether SIGKILL was sent.
  @discardableResult
  package func run(
    first: Int32, escalates: Bool, willSignal: @Sendable (Int32) -> Void = { _ in }
  ) async -> Bool {
    let (killed, grace) = await runKeepingGrace(
      first: first, escalates: escalates, willSignal: willSignal)
    grace?.end()
    return killed
  }

  /// ``run(first:escalates:willSignal:)``, but when the child exits within the grace
  /// period, that period is returned still running: the rest of the group had the first
  /// signal too, and gets the rest of the grace to exit (``GracePeriod/wait(for:)``).
  /// The caller ends it.
  package func runKeepingGrace(
    first: Int32, escalates: Bool, willSignal: @Sendable (Int32) -> Void = { _ in }
  ) async -> (killed: Bool, grace: GracePeriod?) {
    guard exited.value == nil else { return (false, nil) }
    signal(first, willSignal)
    let period = GracePeriod(grace, on: clock, escalates: escalates)
    // true: the child exited; false: the grace period ended, or an escalation came.
    let decided = ProcessLatch<Bool>()
    exited.whenFulfilled { decided.fulfil(true) }
    period.over.whenFulfilled { decided.fulfil(false) }
    let exitedInTime = await decided.waitUncancelled()
    guard !exitedInTime, exited.value == nil else { return (false, period) }
    period.end()
    signal(Syscall.sigkill, willSignal)
    await exited.waitUncancelled()
    return (true, nil)
  }

  private func signal(_ signal: Int32, _ willSignal: @Sendable (Int32) -> Void) {
    guard Syscall.groupExists(pid) else { return }
    willSignal(signal)
    Syscall.signalGroup(pid, signal)
  }
}

/// A teardown's grace period, from its first signal: over once its time has passed on
/// its clock or, if it escalates, at ``ProcessScope/escalateTeardowns()``; it counts in
/// ``ProcessScope/teardownsInGracePeriod`` until ended.
package final class GracePeriod: Sendable {
  /// Fulfilled when the time is over or an escalation came.
  package let over = ProcessLatch<Void>()
  private let timer: ArmedTimer
  private let token: Int?

  init(_ grace: Duration, on clock: any Clock<Duration>, escalates: Bool) {
    token = escalates ? ProcessRegistry.addTeardown { [over] in over.fulfil(()) } : nil
    timer = ArmedTimer.after(grace, on: clock) { [over] in over.fulfil(()) }
  }

  /// Returns once every process in `pids` has exited, or the grace period is over.
  func wait(for pids: [Int32]) async {
    await ProcessExits.shared.allExited(pids, orUntil: over)
  }

  /// Disarms the timer and the escalation; the period no longer counts as under way.
  package func end() {
    timer.cancel()
    token.map(ProcessRegistry.removeTeardown)
  }
}
