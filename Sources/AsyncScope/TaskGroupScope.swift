import Synchronization

/// A scope that owns tasks: Python's `async with asyncio.TaskGroup()`, Trio's nursery.
///
/// The body starts tasks with ``TaskGroupHandle/addTask(_:)``: each starts at once, and
/// the body goes on without waiting (TG1). The scope does not return while any of them
/// runs, however the body ended (TG2). The first failure - the body or a task ending
/// with an error that is not a cancellation - cancels the body and every other task;
/// once all have ended the group throws that first error as it is, as Swift's own task
/// group does; a traced run tells the other tasks' failures beside it: `KeyError, and 1
/// more: ValueError` (TG3). Outside cancellation (an enclosing timeout, Ctrl-C) cancels
/// them all too, and the group then reports the cancellation, which an expired enclosing
/// timeout converts into `TimeoutError` (TG4).
/// A task that never checks cancellation keeps the group open until it ends (TG5).
///
/// ```swift
/// try await withScope(TaskGroupScope()) { group in
///   group.addTask { try await Task.sleep(for: .seconds(0.2)); print("a") }
///   group.addTask { try await Task.sleep(for: .seconds(0.1)); print("b") }
/// }  // b, a: both have finished here
/// ```
///
/// It is built on Swift's own task group (`withThrowingDiscardingTaskGroup`): the body
/// runs as one child task, and the group's task starts every task asked for as another.
/// So the tasks are structured children: cancelled with the group, awaited by it, and
/// they inherit the task-locals of the place where the group was entered (its trace
/// frame, its enclosing timeouts) - not those bound inside the body around `addTask`,
/// since a task belongs to its group, as in a Trio nursery.
///
/// A body that ends with a cancellation of its own is not a failure either: it is
/// rethrown once the tasks have ended. A group with no tasks is a plain scope.
public final class TaskGroupScope: SupervisingScope, TraceNamed {
  public typealias Value = TaskGroupHandle

  public let traceName = "group"
  private let state = Mutex(TaskGroupState())

  public init() {}

  /// Opens the group. Fails if this group was entered before (W6).
  public func enter() async throws -> TaskGroupHandle {
    guard state.withLock({ $0.enter() }) else { throw SingleUse.alreadyEntered(traceName) }
    return TaskGroupHandle(group: self)
  }

  /// Runs the body and every task it starts in one discarding task group; returns once
  /// they have all ended, with the body's value, or throws the first failure (TG3) or
  /// the body's cancellation.
  public func runBody<R: Sendable>(
    _ handle: TaskGroupHandle,
    _ body: @Sendable (TaskGroupHandle) async throws -> R
  ) async throws -> R {
    // The task group awaits the body's task before this returns, so it may borrow it.
    try await withoutActuallyEscaping(body) { body in
      try await run(handle, body)
    }
  }

  /// Reports the caller's cancellation that cut tasks short after a normal body end.
  ///
  /// - Throws: `CancellationError` when the body returned normally but the caller was
  ///   cancelled and some task ended with that cancellation (TG4): the group's work did
  ///   not all get done. If every task finished all the same, the body's value stands,
  ///   as a timeout's body that ignored its deadline (TG5, TO4).
  public func exit(_ context: ExitContext<TaskGroupHandle>) async throws -> ExitDecision {
    let taskCancelled = state.withLock { $0.taskCancelled }
    if context.error == nil && context.callerCancelled && taskCancelled {
      throw CancellationError()
    }
    return .propagate
  }

  // MARK: - The task group

  private func run<R: Sendable>(
    _ handle: TaskGroupHandle,
    _ body: @escaping @Sendable (TaskGroupHandle) async throws -> R
  ) async throws -> R {
    let bodyResult = Locked<Result<R, any Error>?>(nil)
    if let frame = Trace.currentFrame { state.withLock { $0.traceFrame = frame } }
    do {
      try await withThrowingDiscardingTaskGroup { group in
        group.addTask {
          let result = await outcome { try await body(handle) }
          bodyResult.withLock { $0 = result }
          try self.ended(result, isBody: true)
        }
        while let operations = await nextOperations() {
          for operation in operations {
            group.addTask {
              // Its errors are in flight side by side with the body's.
              try await Trace.onLineOfItsOwn {
                let result = await outcome { try await operation() }
                try self.ended(result, isBody: false)
              }
            }
          }
        }
      }
    } catch {
      // A failure: recorded in order by `ended`, whereas the task group rethrows
      // whichever it saw first.
    }
    let (failures, chains) = state.withLock { ($0.failures, $0.failureChains) }
    if let first = failures.first {
      // Thrown as it is; a traced run keeps the others beside it.
      if let chain = chains.first { Trace.keep(chain.with(others: Array(chains.dropFirst()))) }
      throw first
    }
    guard let result = bodyResult.withLock({ $0 }) else {
      preconditionFailure("a task group ended before its body")
    }
    return try result.get()
  }

  /// A member ended. Throwing a failure into the task group is what cancels the body
  /// and every other task (TG3); a cancellation is kept out of it (TG4).
  private func ended<R>(_ result: Result<R, any Error>, isBody: Bool) throws {
    var failure: (any Error)?
    // What a traced run knows about the error, on this member's line.
    let chain: ErrorChain? =
      if case .failure(let error) = result { Trace.chain(for: error) } else { nil }
    let waiter = state.withLock { state in
      if case .failure(let error) = result, state.record(error, chain: chain, isBody: isBody) {
        failure = error
      }
      return state.memberEnded()
    }
    waiter?.resume()
    if let failure { throw failure }
  }

  /// The operations to start next; `nil` once the body and every task have ended.
  private func nextOperations() async -> [TaskGroupState.Operation]? {
    while true {
      switch state.withLock({ $0.next() }) {
      case .start(let operations): return operations
      case .finish: return nil
      case .wait:
        await withUnsafeContinuation { continuation in
          if !state.withLock({ $0.park(continuation) }) { continuation.resume() }
        }
      }
    }
  }

  /// `addTask`: queues the operation and wakes the group's task; nothing once ended.
  ///
  /// In a traced run each task is traced as a scope of its own (TG6): `enter task#1`
  /// here, as it is added - so tasks are numbered, and their enters traced, in the order
  /// the body adds them - and `exit` with its error when it ends.
  func post(_ operation: @escaping TaskGroupState.Operation) {
    state.withLock { state in
      guard let frame = state.traceFrame, state.phase == .open else {
        return state.post(operation)
      }
      return state.post(traced(operation, in: frame))
    }?.resume()
  }

  /// `operation` traced as the scope `task` one level below `frame`, entered now, and
  /// numbered as a task of the run: its own events and everything it does carry the
  /// number (``TraceEvent/task``).
  private func traced(
    _ operation: @escaping TaskGroupState.Operation, in frame: TraceFrame
  ) -> TaskGroupState.Operation {
    let identity = frame.tracer.nextIdentity(name: "task", depth: frame.depth)
    let task = frame.tracer.nextTask()
    let report = { @Sendable (kind: TraceEvent.Kind) in
      frame.tracer.record(kind, scope: identity, depth: frame.depth, task: task)
    }
    report(.enter)
    return {
      // On the line of its own the task runs on (`run`).
      let errors = Trace.currentFrame?.errors ?? ErrorLane()
      let bodyFrame = TraceFrame(
        tracer: frame.tracer, depth: frame.depth + 1, scope: nil, task: task, errors: errors)
      do {
        try await Trace.$frame.withValue(bodyFrame) { try await operation() }
      } catch {
        report(.exit(error: errorName(error), expired: nil))
        report(.exitDone(error: errorName(error), step: nil))
        throw error
      }
      report(.exit(error: nil, expired: nil))
      report(.exitDone(error: nil, step: nil))
    }
  }
}

/// How `operation` ended, as a value.
private func outcome<R>(_ operation: () async throws -> R) async -> Result<R, any Error> {
  do {
    return .success(try await operation())
  } catch {
    return .failure(error)
  }
}
