/// What the body of a ``TaskGroupScope`` starts its tasks with.
///
/// It may be passed on: a task can start further tasks in its own group while the group
/// is open.
public struct TaskGroupHandle: Sendable {
  let group: TaskGroupScope

  /// Starts `operation` as a child task of the group at once; the caller goes on without
  /// waiting (TG1).
  ///
  /// While the group is being cancelled (a failure, an outside cancellation) the task
  /// still starts, already cancelled, so its first check for cancellation throws. Once the
  /// group has ended - the body and every task are done, and the scope has returned or
  /// is returning - `addTask` does nothing: the operation is never run. Only a handle
  /// that escaped its body can be used that late.
  public func addTask(_ operation: @escaping @Sendable () async throws -> Void) {
    group.post(operation)
  }

  /// Starts `operation` as a child task traced as a scope of its own (`enter task#1` when
  /// it starts, `exit` with its error when it ends), and returns once that scope has
  /// entered: tasks enter - and are numbered - in the order they are started, and from
  /// then on run side by side.
  public func startTask(_ operation: @escaping @Sendable () async throws -> Void) async {
    await withCheckedContinuation { (entered: CheckedContinuation<Void, Never>) in
      let signal = OnceSignal(entered)
      addTask {
        defer { signal.fire() }
        try await withScope(DemoScope("task")) {
          signal.fire()
          try await operation()
        }
      }
    }
  }
}

/// Resumes a continuation the first time it fires, never again.
final class OnceSignal: Sendable {
  private let continuation: Locked<CheckedContinuation<Void, Never>?>

  init(_ continuation: CheckedContinuation<Void, Never>) {
    self.continuation = Locked(continuation)
  }

  func fire() {
    let pending = continuation.withLock { pending in
      defer { pending = nil }
      return pending
    }
    pending?.resume()
  }
}
