// TEMPORARY stand-in until the real TaskGroupScope lands (branch `groups`); delete then.
public final class TaskGroupScope: AsyncScope {
  public typealias Value = TaskGroupHandle
  public let traceName = "group"
  private let handle: TaskGroupHandle
  private let stream: AsyncStream<@Sendable () async throws -> Void>

  public init() {
    let (stream, continuation) = AsyncStream<@Sendable () async throws -> Void>.makeStream()
    self.stream = stream
    self.handle = TaskGroupHandle(continuation: continuation)
  }

  public func enter() async throws -> TaskGroupHandle { handle }

  public func exit(_ error: (any Error)?) async throws -> Bool { false }

  public func runBody<R: Sendable>(
    _ value: TaskGroupHandle, _ body: @Sendable (TaskGroupHandle) async throws -> R
  ) async throws -> R {
    try await withoutActuallyEscaping(body) { body in
      let result = Locked<R?>(nil)
      try await withThrowingDiscardingTaskGroup { group in
        let handle = self.handle
        group.addTask {
          defer { handle.continuation.finish() }
          let value = try await body(handle)
          result.withLock { $0 = value }
        }
        for await operation in stream { group.addTask { try await operation() } }
      }
      guard let value = result.withLock({ $0 }) else { throw CancellationError() }
      return value
    }
  }
}

public struct TaskGroupHandle: Sendable {
  let continuation: AsyncStream<@Sendable () async throws -> Void>.Continuation

  public func addTask(_ operation: @escaping @Sendable () async throws -> Void) {
    continuation.yield(operation)
  }
}
