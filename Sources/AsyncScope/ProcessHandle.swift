/// The running child of a ``ProcessScope``: what `process ARG... { ... }` gives its body.
public struct ProcessHandle: Sendable {
  /// The child's process id; also its process group id.
  public let pid: Int32
  /// The argument vector it was started with.
  public let arguments: [String]
  let child: ProcessChild

  init(pid: Int32, arguments: [String], child: ProcessChild) {
    self.pid = pid
    self.arguments = arguments
    self.child = child
  }

  /// The status, if the child has already ended and been reaped.
  public var status: ProcessStatus? {
    guard case .success(let status) = child.end.value else { return nil }
    return status
  }

  /// Waits for the child's natural exit: the `wait` statement.
  ///
  /// A non-zero exit or a death by signal is returned, not thrown (PR3).
  ///
  /// - Throws: `CancellationError` as soon as the task is cancelled, and also when the
  ///   child ended while the task was being cancelled (so an outer timeout reports
  ///   `TimeoutError`, not success). The child keeps running: the scope's exit tears it
  ///   down. ``ProcessSpawnError`` if monitoring the child failed.
  @discardableResult
  public func wait() async throws -> ProcessStatus {
    let outcome = try await child.end.wait()
    try Task.checkCancellation()
    return try outcome.get()
  }
}
