/// A value that becomes available once, with waits that can be cancelled.
///
/// The child process's spawn result and its end are latches: any number of tasks wait
/// for them, and a waiter that is cancelled leaves at once with `CancellationError`
/// without disturbing the others. Awaiting a `Task`'s value cannot do that. A callback
/// (``whenFulfilled(_:)``) lets one latch gather several sources: a teardown waits for
/// whichever of the exit, the end of its grace period and an escalation comes first.
package final class ProcessLatch<Value: Sendable>: Sendable {
  private struct State: Sendable {
    var value: Value?
    var waiters: [Int: Waiter] = [:]
    var cancelled: Set<Int> = []
    var nextWaiter = 0
  }

  private enum Waiter: Sendable {
    case cancellable(CheckedContinuation<Value, any Error>)
    case uncancellable(CheckedContinuation<Value, Never>)
    case callback(@Sendable (Value) -> Void)

    func resume(returning value: Value) {
      switch self {
      case .cancellable(let continuation): continuation.resume(returning: value)
      case .uncancellable(let continuation): continuation.resume(returning: value)
      case .callback(let body): body(value)
      }
    }
  }

  private let state = Locked(State())

  package init() {}

  /// The value, or nil if it has not arrived yet.
  package var value: Value? { state.withLock { $0.value } }

  /// Makes `value` available and wakes every waiter. Only the first call counts.
  /// - Returns: whether this call set the value.
  @discardableResult
  package func fulfil(_ value: Value) -> Bool {
    let waiters: [Waiter]? = state.withLock { state in
      guard state.value == nil else { return nil }
      state.value = value
      state.cancelled = []
      defer { state.waiters = [:] }
      return Array(state.waiters.values)
    }
    guard let waiters else { return false }
    for waiter in waiters { waiter.resume(returning: value) }
    return true
  }

  /// Waits for the value; throws `CancellationError` as soon as the task is cancelled.
  package func wait() async throws -> Value {
    let id = nextWaiterID()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let outcome: Result<Value, any Error>? = state.withLock { state in
          if let value = state.value { return .success(value) }
          if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
          state.waiters[id] = .cancellable(continuation)
          return nil
        }
        if let outcome { continuation.resume(with: outcome) }
      }
    } onCancel: {
      let waiter = state.withLock { state -> CheckedContinuation<Value, any Error>? in
        if case .cancellable(let waiter) = state.waiters.removeValue(forKey: id) {
          return waiter
        }
        if state.value == nil { state.cancelled.insert(id) }
        return nil
      }
      waiter?.resume(throwing: CancellationError())
    }
  }

  /// Waits for the value, ignoring cancellation: for cleanup that must see it.
  package func waitUncancelled() async -> Value {
    let id = nextWaiterID()
    return await withCheckedContinuation { continuation in
      let value: Value? = state.withLock { state in
        if let value = state.value { return value }
        state.waiters[id] = .uncancellable(continuation)
        return nil
      }
      if let value { continuation.resume(returning: value) }
    }
  }

  /// Calls `body` with the value once it is available: at once, here, if it is already;
  /// else on the thread that fulfils the latch. `body` must not block.
  package func whenFulfilled(_ body: @escaping @Sendable (Value) -> Void) {
    let id = nextWaiterID()
    let value: Value? = state.withLock { state in
      if let value = state.value { return value }
      state.waiters[id] = .callback(body)
      return nil
    }
    if let value { body(value) }
  }

  private func nextWaiterID() -> Int {
    state.withLock { state in
      state.nextWaiter += 1
      return state.nextWaiter
    }
  }
}
