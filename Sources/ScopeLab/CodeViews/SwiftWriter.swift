import AsyncScope

/// The generator core behind ``SwiftView``: walks a program and writes Swift lines.
struct SwiftWriter {
  /// How a `return` leaves the code being written.
  enum Exit {
    /// The top of `run() -> String?`: `return "42"`.
    case value
    /// The top of `main()` or of a task: `return`.
    case plain
    /// A scope's closure returning `Flow`: `return .returned("42")`.
    case flow
  }

  let parameters: Parameters
  let values: [String: String]
  private var lines: [String] = []
  private var depth = 0
  private var flowCount = 0
  private var scopeCount = 0
  private var usesFlow = false

  init(parameters: Parameters) {
    self.parameters = parameters
    self.values = parameters.values
  }

  mutating func file(_ program: Program, form: SwiftView.Form) -> String {
    depth = 2
    emitConstants(for: program)
    emitBlock(program.statements, exit: form == .program ? .plain : .value)
    let body = lines
    lines = ["import AsyncScope", ""]
    depth = 0
    switch form {
    case .program:
      emit("@main")
      emit("struct Main {")
    case .function(let name):
      emit("enum \(name) {")
    }
    depth = 1
    if usesFlow {
      emit("/// How a scope's block ended: it ran to its end, or ran `return`.")
      emit("enum Flow {")
      emit("  case next")
      emit("  case returned(String?)")
      emit("}")
      emit("")
    }
    switch form {
    case .program: emit("static func main() async throws {")
    case .function: emit("static func run() async throws -> String? {")
    }
    lines += body
    emit("}")
    depth = 0
    emit("}")
    return lines.joined(separator: "\n") + "\n"
  }

  // MARK: - Lines

  private mutating func emit(_ line: String) {
    let indent = String(repeating: "  ", count: depth)
    // Too long for `swift format` (100 columns): its own break, after the opening
    // parenthesis of the call that ends the line, the arguments indented below.
    if indent.count + line.count > 100, let open = Self.openingOfLastCall(in: line) {
      let head = String(line[...open])
      let arguments = String(line[line.index(after: open)...])
      lines.append(indent + head)
      lines.append(indent + "  " + arguments)
      return
    }
    lines.append(line.isEmpty ? "" : indent + line)
  }

  /// The `(` whose `)` ends `line`, outside string literals: where `swift format` breaks a
  /// call that does not fit.
  static func openingOfLastCall(in line: String) -> String.Index? {
    guard line.hasSuffix(")") else { return nil }
    var stack: [String.Index] = []
    var inString = false
    var escaped = false
    var last: String.Index?
    for index in line.indices {
      let character = line[index]
      if inString {
        if escaped {
          escaped = false
        } else if character == "\\" {
          escaped = true
        } else if character == "\"" {
          inString = false
        }
        continue
      }
      switch character {
      case "\"": inString = true
      case "(": stack.append(index)
      case ")": last = stack.popLast()
      default: break
      }
    }
    guard stack.isEmpty, let last, line.index(after: last) < line.index(before: line.endIndex)
    else { return nil }
    return last
  }

  private mutating func emitConstants(for program: Program) {
    var names = program.parameterNames
    if Self.containsProcess(program.statements), !names.contains("grace") {
      names.append("grace")
    }
    var wrote = false
    for name in names {
      guard let value = try? parameters.value(name) else { continue }
      let type = value.duration == nil ? "Duration?" : "Duration"
      emit("let \(Self.identifier(name)): \(type) = \(Self.literal(value))")
      wrote = true
    }
    if wrote { emit("") }
  }

  /// Writes `statements`, up to the first that always leaves the block, and what the
  /// block returns when it runs to its end.
  private mutating func emitBlock(_ statements: [Statement], exit: Exit) {
    for statement in statements {
      emitStatement(statement, exit: exit)
      if Self.leaves(statement) { return }
    }
    switch exit {
    case .value: emit("return nil")
    case .flow: emit("return .next")
    case .plain: break
    }
  }

  private mutating func emitStatement(_ statement: Statement, exit: Exit) {
    switch statement.kind {
    case .scope(let scope):
      emitScope(scope, exit: exit)
    case .sleep(let expr):
      emit("try await Demo.sleep(\(duration(expr)))")
    case .busy(let expr):
      emit("await Demo.busy(\(duration(expr)))")
    case .print(let words):
      emit("Trace.print(\(string(words)))")
    case .throwError(let word):
      if word.literalText == "CancellationError" {
        emit("throw CancellationError()")
      } else {
        emit("throw NamedError(\(string([word])))")
      }
    case .tryCatch(let tryStatement):
      emitTry(tryStatement, exit: exit)
    case .returnValue(let word):
      let value = word.map { string([$0]) } ?? "nil"
      switch exit {
      case .value: emit("return \(value)")
      case .plain: emit("return")
      case .flow: emit("return .returned(\(value))")
      }
    case .wait:
      emit("_ = try await process.wait()")
    case .reschedule(let expr):
      emit("try TimeoutStack.innermost?.reschedule(after: \(duration(expr)))")
    case .task(let body):
      emit("await group.startTask {")
      depth += 1
      emitBlock(body.statements, exit: .plain)
      depth -= 1
      emit("}")
    }
  }

  private mutating func emitScope(_ scope: ScopeStatement, exit: Exit) {
    let returns = Self.containsReturn(scope.body.statements)
    // One scope per `withScope`: `a, b { body }` is `a { b { body } }`.
    let headers = Array(scope.headers.prefix(1))
    let inner: [Statement]
    if scope.headers.count > 1 {
      let rest = ScopeStatement(headers: Array(scope.headers.dropFirst(1)), body: scope.body)
      inner = [Statement(.scope(rest), position: scope.headers[1].position)]
    } else {
      inner = scope.body.statements
    }
    var scopes = headers.map(scopeExpression).joined(separator: ", ")
    // A line too long for `swift format`: name the scopes first.
    if String(repeating: "  ", count: depth).count + scopes.count + 40 > 100 {
      var names: [String] = []
      for header in headers {
        scopeCount += 1
        let name = scopeCount == 1 ? "scope" : "scope\(scopeCount)"
        emit("let \(name) = \(scopeExpression(header))")
        names.append(name)
      }
      scopes = names.joined(separator: ", ")
    }
    var names = headers.map(Self.valueName)
    if names.count == 1, names[0] == "_" { names = [] }
    let parameterList = names.isEmpty ? (returns ? "()" : "") : names.joined(separator: ", ")
    let signature = [parameterList, returns ? "-> Flow" : ""].filter { !$0.isEmpty }
      .joined(separator: " ")
    let opening = signature.isEmpty ? "{" : "{ \(signature) in"
    guard returns else {
      emit("_ = try await withScope(\(scopes)) \(opening)")
      depth += 1
      emitBlock(inner, exit: .plain)
      depth -= 1
      emit("}")
      return
    }
    usesFlow = true
    flowCount += 1
    let flow = flowCount == 1 ? "flow" : "flow\(flowCount)"
    emit("let \(flow) = try await withScope(\(scopes)) \(opening)")
    depth += 1
    emitBlock(inner, exit: .flow)
    depth -= 1
    emit("}")
    switch exit {
    case .value: emit("if case .returned(let value)? = \(flow) { return value }")
    case .plain: emit("if case .returned? = \(flow) { return }")
    case .flow: emit("if case .returned(let value)? = \(flow) { return .returned(value) }")
    }
  }

  private mutating func emitTry(_ statement: TryStatement, exit: Exit) {
    emit("do {")
    depth += 1
    emitStatements(statement.body.statements, exit: exit)
    depth -= 1
    for clause in statement.catches {
      if let name = clause.errorName {
        emit("} catch let error where errorName(error) == \(string([name])) {")
      } else {
        emit("} catch {")
      }
      depth += 1
      emitStatements(clause.body.statements, exit: exit)
      depth -= 1
    }
    emit("}")
  }

  /// Writes `statements` up to the first that always leaves the block, nothing after.
  private mutating func emitStatements(_ statements: [Statement], exit: Exit) {
    for statement in statements {
      emitStatement(statement, exit: exit)
      if Self.leaves(statement) { return }
    }
  }

  // MARK: - Scopes

  private func scopeExpression(_ header: ScopeHeader) -> String {
    switch header.kind {
    case .timeout(let expr):
      return "Timeout(\(duration(expr)))"
    case .runner:
      return "Runner()"
    case .group:
      return "TaskGroupScope()"
    case .process(let words):
      let arguments = words.map { string([$0]) }.joined(separator: ", ")
      return "ProcessScope(arguments: [\(arguments)], grace: grace)"
    case .named(let word, let options):
      guard !options.isEmpty else { return "DemoScope(\(string([word])))" }
      let settings = options.map { option -> String in
        switch option.kind {
        case .suppress: "suppress: true"
        case .failEnter: "failEnter: true"
        case .throwExit: "throwExit: true"
        case .slowEnter(let expr): "slowEnter: \(duration(expr))"
        case .slowExit(let expr): "slowExit: \(duration(expr))"
        }
      }
      return "DemoScope(\(string([word])), options: .init(\(settings.joined(separator: ", "))))"
    }
  }

  /// The name the block gives the scope's value: `group`, `process`, or `_`.
  private static func valueName(_ header: ScopeHeader) -> String {
    switch header.kind {
    case .group: "group"
    case .process: "process"
    case .timeout, .runner, .named: "_"
    }
  }

  // MARK: - Values

  /// A duration: the parameter's constant, or the literal value.
  private func duration(_ expr: DurationExpr) -> String {
    if expr.word.parts.count == 1, case .parameter(let name, _) = expr.word.parts[0],
      values[name] != nil
    {
      return Self.identifier(name)
    }
    guard let value = try? expr.resolve(parameters: values) else { return "nil" }
    return Self.literal(value)
  }

  /// Words joined by single spaces, as a Swift string literal; parameters are
  /// interpolated as the text `$name` expands to.
  private func string(_ words: [Word]) -> String {
    var text = "\""
    for (index, word) in words.enumerated() {
      if index > 0 { text += " " }
      for part in word.parts {
        switch part {
        case .literal(let literal):
          text += SwiftLiteral.escaped(literal)
        case .parameter(let name, _):
          if let value = try? parameters.value(name), value.duration != nil {
            text += "\\(UserDuration(\(Self.identifier(name))))"
          } else {
            text += SwiftLiteral.escaped(values[name] ?? "$" + name)
          }
        }
      }
    }
    return text + "\""
  }

  static func literal(_ value: UserDuration) -> String {
    guard let duration = value.duration else { return "nil" }
    return SwiftLiteral.duration(duration)
  }

  /// The constant for parameter `name`: the name itself; in backticks when it is a
  /// keyword; followed by `_` when the view uses it for a value of its own (`group`,
  /// `error`, `flow2`), which would hide the constant (a parameter name has no `_`).
  static func identifier(_ name: String) -> String {
    if SwiftLiteral.keywords.contains(name) { return "`\(name)`" }
    let numbered = ["scope", "flow"].contains { prefix in
      name.hasPrefix(prefix) && name.dropFirst(prefix.count).allSatisfy(\.isNumber)
    }
    return numbered || localNames.contains(name) ? name + "_" : name
  }

  /// Names the view gives values of its own, and the types and functions it calls.
  private static let localNames: Set<String> = [
    "group", "process", "error", "value", "main", "run", "print", "Main", "Flow", "Demo",
    "Trace", "withScope", "errorName", "NamedError", "TimeoutStack", "Timeout", "Runner",
    "TaskGroupScope", "ProcessScope", "DemoScope", "UserDuration", "Duration", "Task",
    "CancellationError",
  ]

  // MARK: - Structure

  /// Whether a statement always leaves its block (nothing after it could run).
  private static func leaves(_ statement: Statement) -> Bool {
    switch statement.kind {
    case .returnValue, .throwError: true
    default: false
    }
  }

  /// Whether `statements` hold a `return` that ends the program (not one in a task).
  static func containsReturn(_ statements: [Statement]) -> Bool {
    statements.contains { statement in
      switch statement.kind {
      case .returnValue: true
      case .scope(let scope): containsReturn(scope.body.statements)
      case .tryCatch(let tryStatement):
        containsReturn(tryStatement.body.statements)
          || tryStatement.catches.contains { containsReturn($0.body.statements) }
      default: false
      }
    }
  }

  static func containsProcess(_ statements: [Statement]) -> Bool {
    statements.contains { statement in
      switch statement.kind {
      case .scope(let scope):
        scope.headers.contains { $0.keyword == "process" }
          || containsProcess(scope.body.statements)
      case .tryCatch(let tryStatement):
        containsProcess(tryStatement.body.statements)
          || tryStatement.catches.contains { containsProcess($0.body.statements) }
      case .task(let body): containsProcess(body.statements)
      default: false
      }
    }
  }
}
