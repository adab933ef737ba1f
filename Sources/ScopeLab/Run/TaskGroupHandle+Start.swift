import AsyncScope
import Synchronization

extension TaskGroupHandle {
  /// The interpreter's `task { ... }`: adds the task - traced as `task#1`, `task#2` in a
  /// traced run - and returns once it has begun to run. So what a task does before its
  /// first suspension comes before the block's next statement, as with a Swift child task
  /// that starts at once on a thread of its own (the known difference with asyncio, where
  /// a task first runs when its creator awaits); from then on they run side by side.
  func startTask(_ operation: @escaping @Sendable () async throws -> Void) async {
    await withCheckedContinuation { (started: CheckedContinuation<Void, Never>) in
      let signal = StartSignal(started)
      addTask {
        signal.fire()
        try await operation()
      }
    }
  }
}

/// Resumes a continuation the first time it fires, never again.
private final class StartSignal: Sendable {
  private let continuation: Mutex<CheckedContinuation<Void, Never>?>

  init(_ continuation: CheckedContinuation<Void, Never>) {
    self.continuation = Mutex(continuation)
  }

  func fire() {
    let pending = continuation.withLock { pending in
      defer { pending = nil }
      return pending
    }
    pending?.resume()
  }
}
