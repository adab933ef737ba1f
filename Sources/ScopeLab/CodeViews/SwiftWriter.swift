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
  var lines: [String] = []
  var depth = 0
  private var flowCount = 0
  private var scopeCount = 0
  var usesFlow = false
  /// What the program needs beside the library, declared in the file: the errors it
  /// throws and catches (by their program names), the options its `scope NAME(...)` use,
  /// and whether it uses `scope NAME` or `busy` at all.
  var errors: [String] = []
  var usesScope = false
  var scopeOptions: Set<String> = []
  var usesBusy = false

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
    emitDeclarations()
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

  mutating func emit(_ line: String) {
    let indent = String(repeating: "  ", count: depth)
    // Too long for `swift format` (100 columns): its own break, after the opening
    // parenthesis of the call that ends the line, the arguments indented below.
    if indent.count + line.count > 100, let open = Self.openingOfLastCall(in: line) {
      let head = String(line[...open])
      let arguments = String(line[line.index(after: open)...])
      lines.append(indent + head)
      // Still too long: one argument a line, the parenthesis on a line of its own.
      guard indent.count + 2 + arguments.count > 100 else {
        lines.append(indent + "  " + arguments)
        return
      }
      let list = Self.topLevelArguments(String(arguments.dropLast()))
      for (index, argument) in list.enumerated() {
        lines.append(indent + "  " + argument + (index < list.count - 1 ? "," : ""))
      }
      lines.append(indent + ")")
      return
    }
    lines.append(line.isEmpty ? "" : indent + line)
  }

  /// The parameters a duration names on its own (`sleep $sleep`): each gets a constant.
  /// Text and names (`print $sleep`, `scope $name`) show the value itself.
  private mutating func emitConstants(for program: Program) {
    var names: [String] = []
    ProgramWalker.forEachWord(in: program) { word, role in
      guard role == .duration || role == .busyDuration, word.parts.count == 1,
        case .parameter(let name, _) = word.parts[0], !names.contains(name)
      else { return }
      names.append(name)
    }
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
      emit("try await Task.sleep(for: \(finiteDuration(expr)))")
    case .busy(let expr):
      usesBusy = true
      emit("await busy(for: \(finiteDuration(expr)))")
    case .print(let words):
      emit("print(\(string(words)))")
    case .throwError(let word):
      emit("throw \(errorValue(name(word)))")
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
      emit("try await process.wait()")
    case .reschedule(let expr):
      emit("try TimeoutStack.innermost?.reschedule(after: \(duration(expr)))")
    case .task(let body):
      emit("group.addTask {")
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
    var expressions: [String] = []
    for header in headers { expressions.append(scopeExpression(header)) }
    var scopes = expressions.joined(separator: ", ")
    // A line too long for `swift format`: name the scopes first.
    if String(repeating: "  ", count: depth).count + scopes.count + 40 > 100 {
      var names: [String] = []
      for _ in headers {
        scopeCount += 1
        let name = scopeCount == 1 ? "scope" : "scope\(scopeCount)"
        emit("let \(name) = \(expressions[names.count])")
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
      emit("try await withScope(\(scopes)) \(opening)")
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
      if let word = clause.errorName {
        emit("} \(catchPattern(name(word))) {")
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

  private mutating func scopeExpression(_ header: ScopeHeader) -> String {
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
      usesScope = true
      // Memberwise arguments in the order the fields are declared; a repeated option
      // counts once, the last one written.
      var settings: [String: String] = [:]
      for option in options {
        switch option.kind {
        case .suppress: settings["suppress"] = "true"
        case .failEnter: settings["failEnter"] = "true"
        case .throwExit: settings["throwExit"] = "true"
        case .slowEnter(let expr): settings["slowEnter"] = duration(expr)
        case .slowExit(let expr): settings["slowExit"] = duration(expr)
        }
      }
      scopeOptions.formUnion(settings.keys)
      if settings["failEnter"] != nil { declareError("EnterError") }
      if settings["throwExit"] != nil { declareError("ExitError") }
      let arguments = Self.scopeFields.compactMap { field in
        settings[field].map { "\(field): \($0)" }
      }
      return "Scope(" + (["traceName: \(string([word]))"] + arguments).joined(separator: ", ") + ")"
    }
  }

  /// The options of `Scope`, in the order its fields are declared.
  private static let scopeFields = ["suppress", "failEnter", "throwExit", "slowEnter", "slowExit"]

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

  /// A duration that cannot be `nil`, for `Task.sleep` and `busy`: no limit (`inf`) is
  /// ``UserDuration/maximumSeconds``, about 31 years - as long as forever for a program.
  private func finiteDuration(_ expr: DurationExpr) -> String {
    let forever = SwiftLiteral.duration(.seconds(UserDuration.maximumSeconds))
    let written = duration(expr)
    if written == "nil" { return forever }
    if expr.word.parts.count == 1, case .parameter(let name, _) = expr.word.parts[0],
      values[name] != nil, (try? parameters.value(name))?.duration == nil
    {
      return "\(written) ?? \(forever)"
    }
    return written
  }

  /// `text` as a Swift string literal.
  func string(_ text: String) -> String {
    "\"" + SwiftLiteral.escaped(text) + "\""
  }

  /// Words joined by single spaces, as a Swift string literal; parameters are
  /// interpolated as the text `$name` expands to.
  func string(_ words: [Word]) -> String {
    var text = "\""
    for (index, word) in words.enumerated() {
      if index > 0 { text += " " }
      for part in word.parts {
        switch part {
        case .literal(let literal):
          text += SwiftLiteral.escaped(literal)
        case .parameter(let name, _):
          text += SwiftLiteral.escaped(values[name] ?? "$" + name)
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
  static let localNames: Set<String> = [
    "group", "process", "error", "value", "main", "run", "print", "busy", "Main", "Flow",
    "Scope", "withScope", "TimeoutStack", "Timeout", "TimeoutError", "Runner",
    "TaskGroupScope", "ProcessScope", "Duration", "Task", "CancellationError",
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
