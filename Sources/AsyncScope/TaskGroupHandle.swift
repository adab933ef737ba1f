/// What the body of a ``TaskGroupScope`` starts its tasks with.
///
/// It may be passed on: a task can start further tasks in its own group while the group
/// is open.
public struct TaskGroupHandle: Sendable {
  let group: TaskGroupScope

  /// Starts `operation` as a child task of the group and runs it at once, on the calling
  /// thread, up to its first suspension; then the caller goes on, while the task waits or
  /// runs beside it (TG1). A task that never suspends has ended when this returns.
  ///
  /// So a task that computes for long before its first `await` holds the caller up until
  /// then; put an `await` (`Task.yield()`) first to let the caller go on at once.
  ///
  /// While the group is being cancelled (a failure, an outside cancellation) the task
  /// still starts, already cancelled, so its first check for cancellation throws. Once the
  /// group has ended - the body and every task are done, and the scope has returned or
  /// is returning - `addTask` does nothing: the operation is never run. Only a handle
  /// that escaped its body can be used that late.
  public func addTask(_ operation: @escaping @Sendable () async throws -> Void) {
    group.post(operation)
  }
}
