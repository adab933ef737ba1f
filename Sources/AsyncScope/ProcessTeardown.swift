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
    guard exited.value == nil else { return false }
    // true: the child exited; false: the grace period ended, or an escalation came.
    let decided = ProcessLatch<Bool>()
    exited.whenFulfilled { decided.fulfil(true) }
    let token = escalates ? ProcessRegistry.addTeardown { decided.fulfil(false) } : nil
    defer { token.map(ProcessRegistry.removeTeardown) }
    signal(first, willSignal)
    let timer = ArmedTimer.after(grace, on: clock) { decided.fulfil(false) }
    let exitedInTime = await decided.waitUncancelled()
    timer.cancel()
    guard !exitedInTime, exited.value == nil else { return false }
    signal(ProcessSyscalls.sigkill, willSignal)
    await exited.waitUncancelled()
    return true
  }

  private func signal(_ signal: Int32, _ willSignal: @Sendable (Int32) -> Void) {
    guard ProcessSyscalls.groupExists(pid) else { return }
    willSignal(signal)
    ProcessSyscalls.signalGroup(pid, signal)
  }
}
