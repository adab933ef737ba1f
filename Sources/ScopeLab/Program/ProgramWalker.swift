/// Visits every word of a program in source order, with the role it plays.
enum ProgramWalker {
  enum Role {
    /// Text: a `print` word, a process argument, a `return` value.
    case text
    /// A scope or error name.
    case name
    /// A duration.
    case duration
    /// The duration of `busy`, which must be finite and short: nothing can interrupt it.
    case busyDuration
  }

  /// Whether running `program` would start a child process: a `process` scope anywhere.
  static func startsProcesses(_ program: Program) -> Bool {
    var found = false
    func look(_ statements: [Statement]) {
      for statement in statements where !found {
        switch statement.kind {
        case .scope(let scope):
          if scope.headers.contains(where: { if case .process = $0.kind { true } else { false } }) {
            found = true
          }
          look(scope.body.statements)
        case .task(let body):
          look(body.statements)
        case .tryCatch(let tryStatement):
          look(tryStatement.body.statements)
          for clause in tryStatement.catches { look(clause.body.statements) }
        default:
          break
        }
      }
    }
    look(program.statements)
    return found
  }

  /// The names `program` writes out (errors it throws or catches, scope names): the
  /// outcomes a run of it may end with, besides the built-in ones.
  static func names(in program: Program) -> [String] {
    var names: [String] = []
    forEachWord(in: program) { word, role in
      if role == .name, let name = word.literalText, !names.contains(name) { names.append(name) }
    }
    return names
  }

  static func forEachWord(in program: Program, _ visit: (Word, Role) -> Void) {
    for statement in program.statements { walk(statement, visit) }
  }

  private static func walk(_ block: Block, _ visit: (Word, Role) -> Void) {
    for statement in block.statements { walk(statement, visit) }
  }

  private static func walk(_ statement: Statement, _ visit: (Word, Role) -> Void) {
    switch statement.kind {
    case .scope(let scope):
      for header in scope.headers { walk(header, visit) }
      walk(scope.body, visit)
    case .sleep(let duration), .reschedule(let duration):
      visit(duration.word, .duration)
    case .busy(let duration):
      visit(duration.word, .busyDuration)
    case .print(let words):
      for word in words { visit(word, .text) }
    case .throwError(let name):
      visit(name, .name)
    case .returnValue(let value):
      if let value { visit(value, .text) }
    case .wait:
      break
    case .task(let body):
      walk(body, visit)
    case .tryCatch(let tryStatement):
      walk(tryStatement.body, visit)
      for clause in tryStatement.catches {
        if let name = clause.errorName { visit(name, .name) }
        walk(clause.body, visit)
      }
    }
  }

  private static func walk(_ header: ScopeHeader, _ visit: (Word, Role) -> Void) {
    switch header.kind {
    case .timeout(let duration):
      visit(duration.word, .duration)
    case .runner, .group:
      break
    case .process(let arguments):
      for argument in arguments { visit(argument, .text) }
    case .named(let name, let options):
      visit(name, .name)
      for option in options {
        switch option.kind {
        case .suppress, .failEnter, .throwExit: break
        case .slowEnter(let duration), .slowExit(let duration): visit(duration.word, .duration)
        }
      }
    }
  }
}
