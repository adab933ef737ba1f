import Synchronization

/// The trace of one run: where events go, and the clock that timestamps them.
///
/// Bind it with ``run(_:)``; every `withScope` inside reports to it. Scopes and
/// statements report their own events with ``Trace/emit(_:)``. With no tracer bound,
/// tracing costs one relaxed atomic load per scope.
public final class Tracer: Sendable {
  /// Where the run's events go.
  public let sink: any TraceSink
  private let elapsed: @Sendable () -> Duration
  private let counters = Locked<[String: Int]>([:])
  /// The number of the last task numbered: the main task is 1.
  private let lastTask = Atomic<Int>(Tracer.mainTask)
  /// The last ``TaskOwner/firstToReport(_:)`` token given.
  private let lastToken = Atomic<Int>(0)
  /// Held while an event is numbered, timestamped and recorded: the numbers of the tasks
  /// that were not given one where they started (``TaskNumbers``).
  private let order = Mutex(TaskNumbers())
  /// The account of the error in flight along the run's own line (not a group's tasks').
  let errors = ErrorLane()

  /// - Parameters:
  ///   - sink: receives every event as it happens.
  ///   - clock: the run's clock; `t` is measured from now on it.
  public init<C: Clock>(sink: any TraceSink, clock: C) where C.Duration == Duration {
    self.sink = sink
    let start = clock.now
    self.elapsed = { start.duration(to: clock.now) }
  }

  /// Time since the run started.
  public var now: Duration { elapsed() }

  /// The task number of the run's main task, and of its own events (its `result`).
  public static let mainTask = 1

  /// The next task's number: 2, 3, ... in the order tasks are numbered.
  func nextTask() -> Int {
    lastTask.add(1, ordering: .relaxed).newValue
  }

  /// A new token for a frame that the first task to report in takes as its own.
  func nextToken() -> Int {
    lastToken.add(1, ordering: .relaxed).newValue
  }

  /// Runs `body` with this tracer receiving the events of every scope inside it.
  public func run<R: Sendable>(
    _ body: @Sendable () async throws -> R
  ) async throws -> R {
    Trace.activeTracers.add(1, ordering: .relaxed)
    defer { Trace.activeTracers.subtract(1, ordering: .relaxed) }
    PrintHook.install()
    defer { PrintHook.uninstall() }
    return try await Trace.$frame.withValue(
      TraceFrame(
        tracer: self, depth: 0, scope: nil, task: Self.mainTask, owner: .current,
        errors: errors)
    ) {
      try await body()
    }
  }

  func nextIdentity(name: String, depth: Int) -> ScopeIdentity {
    let ordinal = counters.withLock { counters in
      let next = counters[name, default: 0] + 1
      counters[name] = next
      return next
    }
    return ScopeIdentity(name: name, id: "\(name)#\(ordinal)", depth: depth)
  }

  /// What the run knows about `error`, which ended it: what it replaced, a note, the
  /// failures that lost to it ("ExitError during handling of KeyError"), or nothing more.
  package func chain(of error: any Error) -> ErrorChain {
    errors.chain(for: error)
  }

  /// Reports an event that belongs to the run itself (its `result`), at depth 0.
  public func emit(_ kind: TraceEvent.Kind) {
    record(kind, scope: nil, depth: 0, task: Self.mainTask)
  }

  func record(_ kind: TraceEvent.Kind, scope: ScopeIdentity?, depth: Int, task: Int) {
    // Timestamped and recorded in one step, so events from different threads (a child's
    // output, a timer firing, the body) reach the sink in the order of their times.
    order.withLock { _ in
      let event = TraceEvent(
        time: elapsed(), scope: scope, depth: depth, kind: kind, task: task)
      PrintHook.muted { sink.record(event) }
    }
  }

  /// Reports an event of `frame` in the task running now, numbered as that task's.
  func record(_ kind: TraceEvent.Kind, in frame: TraceFrame) {
    order.withLock { numbers in
      let task = numbers.number(in: frame, next: nextTask)
      let event = TraceEvent(
        time: elapsed(), scope: frame.scope, depth: frame.depth, kind: kind, task: task)
      PrintHook.muted { sink.record(event) }
    }
  }

  /// A scope named `name` entered in `frame` by the task running now: its identity and
  /// that task's number, with its `enter` reported - in one step, so that tasks entering
  /// scopes side by side are numbered in the order of their enters and ids.
  func enter(_ name: String, in frame: TraceFrame) -> (ScopeIdentity, task: Int) {
    order.withLock { numbers in
      let task = numbers.number(in: frame, next: nextTask)
      let identity = nextIdentity(name: name, depth: frame.depth)
      let event = TraceEvent(
        time: elapsed(), scope: identity, depth: frame.depth, kind: .enter, task: task)
      PrintHook.muted { sink.record(event) }
      return (identity, task)
    }
  }

  /// The number of the task running now, for a frame the tracer did not make for it.
  func number(in frame: TraceFrame) -> Int {
    order.withLock { $0.number(in: frame, next: nextTask) }
  }
}

/// Where in a traced run the current task is.
struct TraceFrame: Sendable {
  let tracer: Tracer
  let depth: Int
  let scope: ScopeIdentity?
  /// The number of the task this frame is in (``TraceEvent/task``).
  let task: Int
  /// The task `task` belongs to: another task reporting here has a number of its own.
  let owner: TaskOwner
  /// The account of the error in flight along this line of the run.
  let errors: ErrorLane

  init(
    tracer: Tracer, depth: Int, scope: ScopeIdentity?, task: Int,
    owner: TaskOwner = .current, errors: ErrorLane
  ) {
    self.tracer = tracer
    self.depth = depth
    self.scope = scope
    self.task = task
    self.owner = owner
    self.errors = errors
  }

  /// Reports an event of this frame: of its scope, at its depth, in the task running now.
  func record(_ kind: TraceEvent.Kind) {
    tracer.record(kind, in: self)
  }

  /// This frame as the task running now sees it, for reports from anywhere later: its
  /// number that task's, for any task.
  func resolved() -> TraceFrame {
    if owner == .anyTask { return self }
    return TraceFrame(
      tracer: tracer, depth: depth, scope: scope, task: tracer.number(in: self),
      owner: .anyTask, errors: errors)
  }
}

/// How a traced run observes one scope of `withScope`: the events the rules W1-W6
/// produce, named as the trace names them, and the trace frames enter, the body and exit
/// run in.
@usableFromInline
struct ScopeTrace: ScopeObserver, Sendable {
  let tracer: Tracer
  let identity: ScopeIdentity
  /// The frame enter and exit run in: their events belong to the scope.
  let scopeFrame: TraceFrame
  /// The frame the body runs in, one level deeper.
  let bodyFrame: TraceFrame
  /// Whether the scope is AsyncScope's ``Timeout``, whose conversions keep TO3 (a
  /// conversion by any other scope is told as the exit's own).
  var isLibraryTimeout = false

  /// The scope's trace, its `enter` reported, when this task is inside a traced run.
  @usableFromInline
  static func begin<S: AsyncScope>(_ scope: S) -> ScopeTrace? {
    guard let frame = Trace.currentFrame else { return nil }
    let name = (scope as? any TraceNamed)?.traceName ?? String(describing: S.self)
    // `enter` and `exit` are reported as they begin, so what they do reads after them.
    let (identity, task) = frame.tracer.enter(name, in: frame)
    // A supervising scope runs its body in a task of its own, as the caller's.
    let bodyOwner: TaskOwner =
      scope is any SupervisingScope ? .firstToReport(frame.tracer.nextToken()) : .current
    var trace = ScopeTrace(
      tracer: frame.tracer, identity: identity,
      scopeFrame: TraceFrame(
        tracer: frame.tracer, depth: frame.depth, scope: identity, task: task,
        owner: .anyTask, errors: frame.errors),
      bodyFrame: TraceFrame(
        tracer: frame.tracer, depth: frame.depth + 1, scope: nil, task: task,
        owner: bodyOwner, errors: frame.errors))
    trace.isLibraryTimeout = scope is any ExitFactsReporting
    return trace
  }

  private func report(_ kind: TraceEvent.Kind) {
    scopeFrame.record(kind)
  }

  private func facts(_ scope: some AsyncScope) -> ExitFacts {
    (scope as? any ExitFactsReporting)?.exitFacts ?? ExitFacts()
  }

  @usableFromInline
  nonisolated(nonsending) func inScope<T>(
    _ operation: nonisolated(nonsending) () async throws -> T
  ) async throws -> T {
    try await Trace.$frame.withValue(scopeFrame, operation: operation)
  }

  @usableFromInline
  nonisolated(nonsending) func inBody<T>(
    _ operation: nonisolated(nonsending) () async throws -> T
  ) async throws -> T {
    try await Trace.$frame.withValue(bodyFrame, operation: operation)
  }

  @usableFromInline
  func enterFailed(_ error: any Error) {
    TraceEnvironment.left(.plain(error), depth: identity.depth)
    report(.enterFailed(error: errorName(error)))
  }

  @usableFromInline
  func exitBegins<S: AsyncScope>(_ scope: S, error: (any Error)?) {
    report(.exit(error: error.map(errorName), expired: facts(scope).expired))
  }

  @usableFromInline
  func exitDone(error: (any Error)?, step: TraceEvent.ExitStep?) {
    // A conversion keeps nothing of the error it received; any other step lets that
    // error go on, with what is known about it.
    switch step {
    case .converted?, .exitConverted?: scopeFrame.errors.forget()
    default: break
    }
    if let error {
      TraceEnvironment.left(scopeFrame.errors.chain(for: error), depth: identity.depth)
    }
    report(.exitDone(error: error.map(errorName), step: step))
  }

  @usableFromInline
  func exitConverted(_ error: any Error, replacing replaced: any Error) {
    exitDone(
      error: error,
      step: isLibraryTimeout ? .converted : .exitConverted(replacing: errorName(replaced)))
  }

  @usableFromInline
  func exitRaised(_ error: any Error, replacing replaced: (any Error)?) {
    if let replaced {
      scopeFrame.errors.replace(replaced, with: error)
    } else {
      scopeFrame.errors.forget()
    }
    TraceEnvironment.left(scopeFrame.errors.chain(for: error), depth: identity.depth)
    report(.exitDone(error: errorName(error), step: .raised(replacing: replaced.map(errorName))))
  }

  @usableFromInline
  func suppressed(_ error: any Error) {
    scopeFrame.errors.forget()
    report(.suppressed(error: errorName(error)))
    report(.exitDone(error: nil, step: nil))
  }

  @usableFromInline
  func exitSucceeded<S: AsyncScope>(_ scope: S) {
    report(.exitDone(error: nil, step: facts(scope).expired == true ? .bodyFinished : nil))
  }

  @usableFromInline
  func passStep<S: AsyncScope>(_ scope: S) -> TraceEvent.ExitStep? {
    facts(scope).passReason.map { .passedOn(because: $0) }
  }
}

/// Reporting trace events from inside a run.
public enum Trace {
  @TaskLocal static var frame: TraceFrame?

  /// How many tracers are running; while it is zero, scopes skip the task-local lookup.
  static let activeTracers = Atomic<Int>(0)

  /// Whether any tracer is running: one relaxed atomic load. While it is false,
  /// `withScope` skips the task-local lookup of the trace frame.
  @usableFromInline
  static var mayBeActive: Bool { activeTracers.load(ordering: .relaxed) != 0 }

  static var currentFrame: TraceFrame? {
    // A program `scopelab trace` started is traced as a whole (TraceEnvironment).
    activeTracers.load(ordering: .relaxed) == 0 ? nil : frame ?? TraceEnvironment.frame
  }

  /// Whether the current task is inside a traced run.
  public static var isActive: Bool { currentFrame != nil }

  /// Reports an event of the current scope (in enter or exit) or of the current body.
  public static func emit(_ kind: TraceEvent.Kind) {
    currentFrame?.record(kind)
  }

  /// A program's output: a `print` event of the current scope in a traced run, a line on
  /// standard output outside one.
  package static func print(_ text: String) {
    guard let frame = currentFrame else {
      Swift.print(text)
      return
    }
    frame.record(.print(text: text))
  }

  /// The program caught the error in flight: what was known about it is forgotten, so
  /// that it is not told of a later error of the same name.
  package static func errorCaught() {
    currentFrame?.errors.forget()
  }

  /// `error` leaves with `note` ("timeout expired at 0.50s"), kept beside it in a traced
  /// run; `note` is not evaluated outside one.
  static func note(_ note: @autoclosure () -> String, about error: any Error) {
    currentFrame?.errors.note(note(), about: error)
  }

  /// A scope's exit threw `error` while `replaced` was in flight (W3): kept beside it.
  static func exitReplaced(_ replaced: any Error, with error: any Error) {
    currentFrame?.errors.replace(replaced, with: error)
  }

  /// What the current line of the run knows about `error`; `nil` outside a traced run.
  static func chain(for error: any Error) -> ErrorChain? {
    currentFrame?.errors.chain(for: error)
  }

  /// Keeps `chain` as the account of the error leaving now, on the current line.
  static func keep(_ chain: ErrorChain) {
    currentFrame?.errors.keep(chain)
  }

  /// Runs `body` on a line of the run of its own, in a traced run: a task group's task,
  /// whose errors are in flight side by side with the body's and the other tasks'.
  static func onLineOfItsOwn(_ body: () async throws -> Void) async rethrows {
    guard let frame = currentFrame else { return try await body() }
    let own = TraceFrame(
      tracer: frame.tracer, depth: frame.depth, scope: frame.scope, task: frame.task,
      owner: frame.owner, errors: ErrorLane())
    try await $frame.withValue(own) { try await body() }
  }

  /// Elapsed time of the current run, or nil outside one.
  public static var elapsed: Duration? { currentFrame?.tracer.now }

  /// A handle that reports events for the current scope from any task or thread later
  /// (a timer firing, a process's output reader).
  public static func reporter() -> TraceReporter {
    TraceReporter(frame: currentFrame?.resolved())
  }
}

/// Reports events for one scope from anywhere, after the task-local context is gone.
public struct TraceReporter: Sendable {
  let frame: TraceFrame?

  /// Whether events sent here go anywhere.
  public var isActive: Bool { frame != nil }

  /// Reports an event of the scope this reporter was taken in; nothing when not traced.
  public func emit(_ kind: TraceEvent.Kind) {
    frame?.record(kind)  // the frame is for any task (``TraceFrame/resolved()``)
  }

  /// Time since the run started, or nil when not traced.
  public var elapsed: Duration? { frame?.tracer.now }
}
