import AsyncScope

/// Runs a parsed scope program on the AsyncScope library: real tasks, real deadlines,
/// real processes. Every scope reports to the trace of the run it is in.
public struct ProgramEvaluator<C: Clock>: Sendable where C.Duration == Duration {
  public let parameters: Parameters
  public let clock: C
  /// The parameters as the text `$name` expands to.
  let values: [String: String]

  public init(parameters: Parameters, clock: C) {
    self.parameters = parameters
    self.clock = clock
    self.values = parameters.values
  }

  /// How a block ended without an error: normally, or by `return`.
  public enum Flow: Sendable, Equatable {
    case normal
    case returned(String?)
  }

  /// Runs a whole program.
  public func run(_ program: Program) async throws -> Flow {
    try await run(program.statements)
  }

  /// Runs every statement of `block` in order.
  func run(_ block: Block) async throws -> Flow {
    try await run(block.statements)
  }

  private func run(_ statements: [Statement]) async throws -> Flow {
    for statement in statements {
      let flow = try await run(statement)
      if case .returned = flow { return flow }
    }
    return .normal
  }

  private func run(_ statement: Statement) async throws -> Flow {
    switch statement.kind {
    case .scope(let scope):
      return try await run(scope)
    case .sleep(let expr):
      try await Demo.sleep(try duration(expr).duration, clock: clock)
    case .busy(let expr):
      await Demo.busy(try duration(expr).duration)
    case .print(let words):
      Trace.emit(.print(text: try words.map(expand).joined(separator: " ")))
    case .throwError(let word):
      let name = try expand(word)
      if name == "CancellationError" { throw CancellationError() }
      throw NamedError(name)
    case .tryCatch(let tryStatement):
      return try await run(tryStatement)
    case .returnValue(let word):
      return .returned(try word.map(expand))
    case .wait:
      guard let process = ProcessBlock.current else {
        throw ProgramError("'wait' is only allowed inside a process block", at: statement.position)
      }
      _ = try await process.wait()
    case .reschedule(let expr):
      guard let timeout = TimeoutStack.innermost else {
        throw ProgramError(
          "'reschedule' is only allowed inside a timeout block", at: statement.position)
      }
      try timeout.reschedule(after: try duration(expr).duration)
    case .task(let body):
      guard let group = TaskGroupBlock.current else {
        throw ProgramError("'task' is only allowed inside a group block", at: statement.position)
      }
      // In a traced run each task is a scope of its own: `enter task#1` as it is added,
      // `exit` with its error when it ends (TG6). The task runs at once, up to its first
      // await; then the statement after it goes on (TG1).
      let evaluator = self
      group.addTask { _ = try await evaluator.run(body) }
    }
    return .normal
  }

  private func run(_ statement: ScopeStatement) async throws -> Flow {
    guard let (header, body) = statement.nested else { return .normal }
    let evaluator = self
    switch header.kind {
    case .timeout(let expr):
      let timeout = Timeout(try duration(expr).duration, clock: clock)
      return try await withScope(timeout, ifSuppressed: .normal) { try await evaluator.run(body) }
    case .runner:
      return try await withScope(Runner(), ifSuppressed: .normal) {
        try await evaluator.run(body)
      }
    case .named(let word, let options):
      let scope = DemoScope(try expand(word), options: try demoOptions(options), clock: clock)
      return try await withScope(scope, ifSuppressed: .normal) { try await evaluator.run(body) }
    case .group:
      return try await withScope(TaskGroupScope(), ifSuppressed: .normal) { group in
        try await TaskGroupBlock.$current.withValue(group) { try await evaluator.run(body) }
      }
    case .process(let words):
      let arguments = try words.map(expand)
      let scope = ProcessScope(arguments: arguments, grace: parameters.grace, clock: clock)
      return try await withScope(scope, ifSuppressed: .normal) { handle in
        try await ProcessBlock.$current.withValue(handle) { try await evaluator.run(body) }
      }
    }
  }

  private func run(_ statement: TryStatement) async throws -> Flow {
    do {
      return try await run(statement.body)
    } catch {
      let name = errorName(error)
      for clause in statement.catches {
        // A clause with no name catches everything.
        if try clause.errorName.map(expand) ?? name == name {
          // Caught: the trace forgets what it knew about the error (what it replaced).
          Trace.errorCaught()
          return try await run(clause.body)
        }
      }
      throw error
    }
  }

  private func demoOptions(_ options: [ScopeOption]) throws -> DemoScope<C>.Options {
    var result = DemoScope<C>.Options()
    for option in options {
      switch option.kind {
      case .suppress: result.suppress = true
      case .failEnter: result.failEnter = true
      case .throwExit: result.throwExit = true
      case .slowEnter(let expr): result.slowEnter = try duration(expr).duration
      case .slowExit(let expr): result.slowExit = try duration(expr).duration
      }
    }
    return result
  }

  // MARK: - Statements

  // MARK: - Words and durations

  func expand(_ word: Word) throws -> String {
    try word.resolve(parameters: values)
  }

  func duration(_ expr: DurationExpr) throws -> UserDuration {
    try expr.resolve(parameters: values)
  }
}

/// The group the current statement is in: where `task` starts its block.
enum TaskGroupBlock {
  @TaskLocal static var current: TaskGroupHandle?
}

/// The process block the current statement is in: what `wait` waits for.
enum ProcessBlock {
  @TaskLocal static var current: ProcessHandle?
}
