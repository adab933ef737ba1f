import Synchronization

/// A scope that owns tasks: Python's `async with asyncio.TaskGroup()`, Trio's nursery.
///
/// The body starts tasks with ``TaskGroupHandle/addTask(_:)``: each runs at once, on the
/// thread that adds it, up to its first suspension; then the body goes on while the task
/// waits or runs beside it (TG1). The scope does not return while any of them
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
/// It is built on Swift's own task group (`withDiscardingTaskGroup`): the body runs in a
/// task of its own, which owns the task group, so that a task the body starts is a
/// structured child in it - cancelled with the group, awaited by it, inheriting the
/// task-locals of the place `addTask` is called, as a child of Swift's own task group
/// does. Tasks start as the task group's `addImmediateTask` starts them (SE-0472): a
/// task that never suspends has ended when `addTask` returns, with no thread woken for
/// it, and what a task does before its first `await` always comes before the body's
/// next line. Only the task that owns a task group may add to it: a task started from
/// another task (one of the group's tasks, a timeout's body inside the group's body)
/// runs as a task of its own, which the group cancels and awaits all the same. Either way a task
/// is in the group's enclosing timeouts, not in a timeout inside the group.
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

  /// Runs the body and every task it starts; returns once they have all ended, with
  /// the body's value, or throws the first failure (TG3) or the body's cancellation.
  public func runBody<R: Sendable>(
    _ handle: TaskGroupHandle,
    _ body: @Sendable (TaskGroupHandle) async throws -> R
  ) async throws -> R {
    // The body's task is awaited before this returns, so it may borrow the body. What
    // runs it is not generic: the value goes through a box.
    try await withoutActuallyEscaping(body) { body in
      let value = BodyValue<R>()
      try await run { value.value = try await body(handle) }
      guard let result = value.value else { preconditionFailure("the body returned no value") }
      return result
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

  // MARK: - The tasks

  /// The task group of the body's task, set as the body starts and used only in that
  /// task (`post` tells it apart by `bodyTaskID`), while the body runs.
  @exclusivity(unchecked) private nonisolated(unsafe) var taskGroup: DiscardingTaskGroup?
  /// The runtime's id of the body's task (``currentTaskID()``); 0 until it starts.
  private let bodyTaskID = Atomic<UInt64>(0)
  /// Whether the group's run is traced, set as the body's task starts, with the trace
  /// frame (``TaskGroupState/traceFrame``).
  private let runIsTraced = Atomic<Bool>(false)

  /// Runs the body in a task of its own, which owns the task group the body's `addTask`
  /// adds to, and returns once the body and every task have ended (TG2); throws the
  /// first failure (TG3), or else the body's own error.
  private func run(_ body: @escaping @Sendable () async throws -> Void) async throws {
    // The trace frame of the group's body, where its tasks are traced, and the timeouts
    // enclosing the group: those of every task, wherever it is added.
    let frame = Trace.currentFrame
    let timeouts = TimeoutStack.top
    // A child task of a cancelled task starts cancelled (TG4): so does the body's.
    let callerCancelled = Task.isCancelled
    // The body runs in a task of its own, which owns the task group its `addTask` adds
    // to: the first failure cancels that task, and with it the tasks (TG3); the caller
    // stays uncancelled. It starts on this thread, as the tasks do (TG1).
    let bodyTask = startImmediately { () async -> (any Error)? in
      let error = await withDiscardingTaskGroup { group in
        self.taskGroup = group
        let cancelled = withUnsafeCurrentTask { current in
          self.bodyTaskID.store(currentTaskID() ?? 0, ordering: .relaxed)
          self.runIsTraced.store(frame != nil, ordering: .relaxed)
          return self.state.withLock { state in
            state.start(body: current.map(GroupTask.init), frame: frame, timeouts: timeouts)
          }
        }
        if callerCancelled || cancelled { withUnsafeCurrentTask { $0?.cancel() } }
        var error: (any Error)?
        do { try await body() } catch let bodyError { error = bodyError }
        self.taskGroup = nil
        if let error { self.failed(error, isBody: true) }
        return error
      }
      // The task group has waited for its tasks: the body and they have ended. Those
      // started apart may still run.
      self.memberEnded()
      await self.allEnded()
      return error
    }
    let bodyError = await withTaskCancellationHandler {
      await bodyTask.value
    } onCancel: {
      self.cancel()
    }
    let (failures, chains) = state.withLock { ($0.failures, $0.failureChains) }
    if let first = failures.first {
      // Thrown as it is; a traced run keeps the others beside it.
      if let chain = chains.first { Trace.keep(chain.with(others: Array(chains.dropFirst()))) }
      throw first
    }
    if let bodyError { throw bodyError }
  }

  /// Suspends the body's task until the body and every task have ended (TG2).
  private func allEnded() async {
    if state.withLock({ $0.phase == .ended }) { return }
    await withUnsafeContinuation { continuation in
      if !state.withLock({ $0.park(continuation) }) { continuation.resume() }
    }
  }

  /// A member (the body or a task) ended with `error`. A failure cancels the body and
  /// every other task (TG3); a cancellation does not (TG4).
  private func failed(_ error: any Error, isBody: Bool) {
    // What a traced run knows about the error, on this member's line.
    let chain = Trace.chain(for: error)
    let failed = state.withLock { $0.record(error, chain: chain, isBody: isBody) }
    if failed { cancel() }
  }

  /// A member counted in ``TaskGroupState/live`` ended: the body's task group (the body
  /// and its children), or a task started apart.
  private func memberEnded() {
    state.withLock { $0.memberEnded() }?.resume()
  }

  /// Cancels the body's task (and so the tasks in its task group) and the tasks started
  /// apart; a task started apart from now on starts cancelled.
  private func cancel() {
    guard let (body, apart) = state.withLock({ $0.cancel() }) else { return }
    body?.cancel()
    for task in apart { task.cancel() }
  }

  /// `addTask`: starts the operation as a task of the group, run at once up to its first
  /// suspension (TG1); nothing once ended.
  ///
  /// Called in the body's task, the task is a child in its task group. Called in any
  /// other task - one of the group's tasks, a timeout's body inside the group's body -
  /// it is a task apart, which the group cancels and waits for as it does its children,
  /// and which has the group's enclosing timeouts, as a child has.
  ///
  /// In a traced run each task is traced as a scope of its own (TG6): `enter task#1`
  /// here, as it is added - so tasks are numbered, and their enters traced, in the order
  /// they are added - and `exit` with its error when it ends.
  func post(_ operation: @escaping TaskGroupState.Operation) {
    let inBody = currentTaskID() == bodyTaskID.load(ordering: .relaxed) && taskGroup != nil
    // In the body the group is open, and its task group awaits its children: they are
    // not counted. A task started apart is, while the group is open.
    guard inBody || state.withLock({ $0.add() }) else { return }
    // The frame is read only in a traced run: nothing of it is copied otherwise.
    let isTraced = runIsTraced.load(ordering: .relaxed)
    let operation = isTraced ? traced(operation) : operation
    if inBody {
      taskGroup?.addImmediateTask { await self.member(operation, traced: isTraced) }
    } else {
      startApart(operation, traced: isTraced)
    }
  }

  /// Starts a task apart, run at once up to its first suspension, as a child is: from its
  /// first instruction on it is cancelled with the group; at once if the group is being
  /// cancelled already.
  private func startApart(_ operation: @escaping TaskGroupState.Operation, traced: Bool) {
    _ = startImmediately {
      let (cancelled, timeouts) = withUnsafeCurrentTask { current in
        self.state.withLock { $0.started(apart: current.map(GroupTask.init)) }
      }
      if cancelled { withUnsafeCurrentTask { $0?.cancel() } }
      defer { self.memberEnded() }
      guard TimeoutStack.top === timeouts else {
        return await TimeoutStack.$top.withValue(timeouts) {
          await self.member(operation, traced: traced)
        }
      }
      await self.member(operation, traced: traced)
    }
  }

  /// A task's work: `operation`, and its failure, if any.
  private func member(_ operation: TaskGroupState.Operation, traced: Bool) async {
    guard traced else { return await runReportingFailure(operation) }
    // Its errors are in flight side by side with the body's.
    await Trace.onLineOfItsOwn { await runReportingFailure(operation) }
  }

  /// Runs a task's `operation`; an error it throws is the task's failure (TG3, TG4).
  private func runReportingFailure(_ operation: TaskGroupState.Operation) async {
    do { try await operation() } catch { failed(error, isBody: false) }
  }

  /// `operation` traced as the scope `task` one level below the group's body, entered
  /// now, and numbered as a task of the run: its own events and everything it does carry
  /// the number (``TraceEvent/task``).
  private func traced(
    _ operation: @escaping TaskGroupState.Operation
  ) -> TaskGroupState.Operation {
    guard let frame = state.withLock({ $0.traceFrame }) else { return operation }
    let identity = frame.tracer.nextIdentity(name: "task", depth: frame.depth)
    let task = frame.tracer.nextTask()
    let report = { @Sendable (kind: TraceEvent.Kind) in
      frame.tracer.record(kind, scope: identity, depth: frame.depth, task: task)
    }
    report(.enter)
    return {
      // On the line of its own the task runs on (`member`).
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

/// Where the body's value waits for `runBody`, which reads it once the body's task has
/// ended (the task's end orders the write before the read).
private final class BodyValue<R>: @unchecked Sendable {
  var value: R?
}
