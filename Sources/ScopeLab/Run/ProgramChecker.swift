import AsyncScope

/// Checks a parsed program against the parameters before anything runs, so invalid
/// input (an unknown parameter, a bad duration, `wait` outside a process block) is
/// reported with its position and never becomes a run outcome.
public struct ProgramChecker: Sendable {
  public let parameters: Parameters

  public init(parameters: Parameters) {
    self.parameters = parameters
  }

  /// Throws the first problem found, in source order.
  public func check(_ program: Program) throws(ProgramError) {
    try program.validate(parameters: parameters.values)
    try check(program.statements, inProcess: false, inTimeout: false)
  }

  private func check(
    _ statements: [Statement], inProcess: Bool, inTimeout: Bool
  ) throws(ProgramError) {
    for statement in statements {
      switch statement.kind {
      case .scope(let scope):
        var process = inProcess
        var timeout = inTimeout
        for header in scope.headers {
          switch header.kind {
          case .timeout: timeout = true
          case .process: process = true
          case .runner, .named: break
          }
        }
        try check(scope.body.statements, inProcess: process, inTimeout: timeout)
      case .tryCatch(let statement):
        try check(statement.body.statements, inProcess: inProcess, inTimeout: inTimeout)
        for clause in statement.catches {
          try check(clause.body.statements, inProcess: inProcess, inTimeout: inTimeout)
        }
      case .wait where !inProcess:
        throw ProgramError("'wait' is only allowed inside a process block", at: statement.position)
      case .reschedule where !inTimeout:
        throw ProgramError(
          "'reschedule' is only allowed inside a timeout block", at: statement.position)
      default:
        break
      }
    }
  }
}
