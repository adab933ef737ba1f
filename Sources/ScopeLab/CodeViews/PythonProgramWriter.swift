import AsyncScope

/// Writes the body of `main()` for `PythonView`, statement by statement, and notes
/// which helpers the program uses.
struct PythonProgramWriter {
  let parameters: Parameters
  private(set) var lines: [String] = []
  private(set) var uses = PythonHelpers.Uses()
  private var counters: [String: Int] = [:]
  /// The innermost timeout's and process's variable names.
  private var timeouts: [String] = []
  private var processes: [String] = []
  private var groups: [String] = []
  /// How many `except*` handlers written as functions (``tryCatch(_:indent:)``) the
  /// statements being written are in: a `return` there returns `(value,)` to the handler's
  /// caller.
  private var handlerDepth = 0

  /// The class name each error name of the program was given, and the names taken.
  private var errorIdentifiers: [String: String] = [:]
  private var takenIdentifiers: Set<String> = []
  /// The parameters' constants (`SLEEP`): no class may take one.
  private let constants: Set<String>

  init(parameters: Parameters) {
    self.parameters = parameters
    constants = Set(parameters.order.map(Self.constant))
  }

  /// Python's built-in exceptions a program may name without declaring them.
  static let builtInErrors: Set<String> = [
    "Exception", "BaseException", "ArithmeticError", "AssertionError", "AttributeError",
    "EOFError", "FileExistsError", "FileNotFoundError", "IndexError", "KeyError",
    "LookupError", "MemoryError", "NameError", "NotImplementedError", "OSError",
    "OverflowError", "PermissionError", "RecursionError", "RuntimeError", "StopIteration",
    "TimeoutError", "TypeError", "ValueError", "ZeroDivisionError", "ConnectionError",
    "BrokenPipeError", "ProcessLookupError", "ChildProcessError", "UnicodeError",
  ]

  /// Names a class of the program's own must not take in the script: Python's keywords
  /// and built-ins (`None`, `print`, `SystemExit`), the modules it imports and the
  /// helpers it defines (`Scope`, `emit`, `main`, ...).
  static let reservedNames: Set<String> = [
    // keywords
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
    "return", "try", "while", "with", "yield", "match", "case", "type",
    // built-ins (those not in builtInErrors)
    "BaseExceptionGroup", "BlockingIOError", "BufferError", "BytesWarning",
    "ConnectionAbortedError", "ConnectionRefusedError", "ConnectionResetError",
    "DeprecationWarning", "Ellipsis", "EncodingWarning", "EnvironmentError", "ExceptionGroup",
    "FloatingPointError", "FutureWarning", "GeneratorExit", "IOError", "ImportError",
    "ImportWarning", "IndentationError", "InterruptedError", "IsADirectoryError",
    "KeyboardInterrupt", "ModuleNotFoundError", "NotADirectoryError", "NotImplemented",
    "PendingDeprecationWarning", "PythonFinalizationError", "ReferenceError",
    "ResourceWarning", "RuntimeWarning", "StopAsyncIteration", "SyntaxError", "SyntaxWarning",
    "SystemError", "SystemExit", "TabError", "UnboundLocalError", "UnicodeDecodeError",
    "UnicodeEncodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning", "Warning",
    "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray",
    "bytes", "callable", "chr", "classmethod", "compile", "complex", "copyright", "credits",
    "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter",
    "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex",
    "id", "input", "int", "isinstance", "issubclass", "iter", "len", "license", "list",
    "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord",
    "pow", "print", "property", "quit", "range", "repr", "reversed", "round", "set",
    "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "vars",
    "zip",
    // modules and the script's own names
    "asyncio", "os", "signal", "time", "contextlib", "contextvars", "json", "sys", "busy",
    "Item", "item", "Runner", "Scope", "Process", "group_alive", "started", "scope_ids",
    "scope_depth",
    "emit", "note", "error_name", "Traced", "traced", "Timeout", "main", "value", "error",
    "process", "timeout", "tg", "task", "returned", "handler",
  ]

  /// The Python class name for an error name of the program that is not one of Python's
  /// (`KeyError`) or the helpers' (`EnterError`): the name itself when it is a plain
  /// ASCII identifier that names nothing else in the script; otherwise (`Key-Error`,
  /// `café`, `None`, `print`, `tg1`) `_` and the name with every character that cannot
  /// be in an identifier written `_` (`_Key_Error`), numbered if another name took that
  /// already. No plain name starts with `_`, so the two kinds never meet; the script
  /// gives a renamed class its program name back (``PythonHelpers``).
  private mutating func identifier(forError name: String) -> String {
    if let known = errorIdentifiers[name] { return known }
    let plain =
      name.first.map { $0.isASCII && $0.isLetter } == true
      && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    let local = ["task", "tg", "timeout", "process", "returned", "handler"].contains { prefix in
      name.hasPrefix(prefix) && name.dropFirst(prefix.count).allSatisfy(\.isASCII)
        && name.dropFirst(prefix.count).allSatisfy(\.isNumber)
    }
    var identifier = name
    if !plain || local || Self.reservedNames.contains(name) || constants.contains(name) {
      let base =
        "_" + String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
      identifier = base
      var number = 1
      while takenIdentifiers.contains(identifier) {
        number += 1
        identifier = "\(base)_\(number)"
      }
    }
    takenIdentifiers.insert(identifier)
    errorIdentifiers[name] = identifier
    return identifier
  }

  /// A parameter's constant: `sleep` -> `SLEEP`.
  static func constant(_ name: String) -> String {
    String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
  }

  /// Seconds as a Python literal, `None` for no limit.
  static func seconds(_ value: UserDuration) -> String {
    guard let duration = value.duration else { return "None" }
    let (whole, attoseconds) = duration.components
    return "\(Double(whole) + Double(attoseconds) / 1e18)"
  }

  /// A Python string literal for any text: double quotes, escapes for quotes,
  /// backslashes, control characters and bidirectional formatting characters (which
  /// would reorder how the line shows); other Unicode as is (the file is UTF-8).
  static func quote(_ text: String) -> String {
    let inside = text.escapedForLiteral { scalar in
      if scalar.isBidirectionalControl { return "\\u" + String.hex(scalar.value, digits: 4) }
      return scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
        ? "\\x" + String.hex(scalar.value, digits: 2) : nil
    }
    return "\"" + inside + "\""
  }

  private func text(_ word: Word) -> String {
    (try? word.resolve(parameters: parameters.values)) ?? word.description
  }

  /// A duration as Python: the parameter's constant, or the literal seconds.
  /// `clampNegative`: negative literals become 0 (sleep, busy).
  private func duration(_ expression: DurationExpr, clampNegative: Bool = false) -> String {
    if expression.word.parts.count == 1, case .parameter(let name, _) = expression.word.parts[0] {
      return Self.constant(name)
    }
    guard let value = try? UserDuration(parsing: text(expression.word)) else { return "None" }
    if clampNegative, let seconds = value.duration, seconds < .zero { return "0" }
    return Self.seconds(value)
  }

  private mutating func name(_ base: String) -> String {
    let count = (counters[base] ?? 0) + 1
    counters[base] = count
    return "\(base)\(count)"
  }

  private mutating func line(_ text: String, _ indent: Int) {
    lines.append(String(repeating: "    ", count: indent) + text)
  }

  mutating func statements(_ statements: [Statement], indent: Int) {
    guard !statements.isEmpty else { return line("pass", indent) }
    for statement in statements { self.statement(statement, indent: indent) }
  }

  private mutating func statement(_ statement: Statement, indent: Int) {
    switch statement.kind {
    case .scope(let scope):
      guard let (header, body) = scope.nested else { return }
      self.scope(header, body: body, indent: indent)
    case .sleep(let expression):
      line("await asyncio.sleep(\(duration(expression, clampNegative: true)))", indent)
    case .busy(let expression):
      uses.busy = true
      line("busy(\(duration(expression, clampNegative: true)))", indent)
    case .print(let words):
      line("print(\(Self.quote(words.map(text).joined(separator: " "))))", indent)
    case .throwError(let word):
      line("raise \(errorClass(text(word)))", indent)
    case .tryCatch(let tryStatement):
      tryCatch(tryStatement, indent: indent)
    case .returnValue(let value):
      let value = value.map { Self.quote(text($0)) }
      if handlerDepth > 0 {
        line("return (\(value ?? "None"),)", indent)
      } else {
        line(value.map { "return \($0)" } ?? "return", indent)
      }
    case .wait:
      line("await \(processes.last ?? "process").wait()", indent)
    case .reschedule(let expression):
      let target = timeouts.last ?? "timeout"
      let seconds = duration(expression)
      if seconds == "None" {
        line("\(target).reschedule(None)", indent)
      } else {
        line("\(target).reschedule(asyncio.get_running_loop().time() + \(seconds))", indent)
      }
    case .task(let body):
      let function = name("task")
      line("async def \(function)():", indent)
      statements(body.statements, indent: indent + 1)
      line("\(groups.last ?? "tg").create_task(\(function)())", indent)
    }
  }

  /// `try` / `except`; `except*` where the body holds a task group, whose failure reaches
  /// the handlers as an ExceptionGroup (which a plain `except KeyError` lets pass).
  private mutating func tryCatch(_ tryStatement: TryStatement, indent: Int) {
    let star = Self.holdsGroup(tryStatement.body.statements)
    // Python forbids `return` in an `except*` handler: such a handler is a function
    // called from it, and the value it returns is returned after the `try`.
    let returning = star && tryStatement.catches.contains { Self.returns($0.body.statements) }
    var result = ""
    if returning {
      result = name("returned")
      line("# 'return' cannot be in an except* block: each handler is a function", indent)
      line("\(result) = None", indent)
    }
    line("try:", indent)
    statements(tryStatement.body.statements, indent: indent + 1)
    for clause in tryStatement.catches {
      let name = clause.errorName.map { errorClass(text($0)) } ?? "BaseException"
      line("except\(star ? "*" : "") \(name):", indent)
      guard returning else {
        statements(clause.body.statements, indent: indent + 1)
        continue
      }
      let function = self.name("handler")
      line("async def \(function)():", indent + 1)
      handlerDepth += 1
      statements(clause.body.statements, indent: indent + 2)
      handlerDepth -= 1
      line("\(result) = await \(function)()", indent + 1)
    }
    if returning {
      line("if \(result):", indent)
      line(handlerDepth > 0 ? "return \(result)" : "return \(result)[0]", indent + 1)
    }
  }

  /// Whether `statements` hold a task group anywhere (in a task, a scope, a try).
  private static func holdsGroup(_ statements: [Statement]) -> Bool {
    statements.contains { statement in
      switch statement.kind {
      case .task(let body): return holdsGroup(body.statements)
      case .tryCatch(let tryStatement):
        return holdsGroup(tryStatement.body.statements)
          || tryStatement.catches.contains { holdsGroup($0.body.statements) }
      case .scope(let scope):
        return scope.headers.contains { if case .group = $0.kind { true } else { false } }
          || holdsGroup(scope.body.statements)
      default: return false
      }
    }
  }

  /// Whether `statements` hold a `return` anywhere (tasks cannot).
  private static func returns(_ statements: [Statement]) -> Bool {
    statements.contains { statement in
      switch statement.kind {
      case .returnValue: return true
      case .tryCatch(let tryStatement):
        return returns(tryStatement.body.statements)
          || tryStatement.catches.contains { returns($0.body.statements) }
      case .scope(let scope): return returns(scope.body.statements)
      default: return false
      }
    }
  }

  /// The Python class for an error name: declared unless Python has it built in.
  private mutating func errorClass(_ name: String) -> String {
    switch name {
    case "CancellationError": return "asyncio.CancelledError"
    case "EnterError", "ExitError":
      uses.scope = true
      return name
    default:
      if Self.builtInErrors.contains(name) { return name }
      let known = errorIdentifiers[name] != nil
      let identifier = identifier(forError: name)
      if !known { uses.errors.append(.init(name: name, identifier: identifier)) }
      return identifier
    }
  }

  /// Whether a `reschedule` in `statements` targets the timeout around them.
  private static func reschedules(_ statements: [Statement]) -> Bool {
    statements.contains { statement in
      switch statement.kind {
      case .reschedule: return true
      case .task(let body): return reschedules(body.statements)
      case .tryCatch(let tryStatement):
        return reschedules(tryStatement.body.statements)
          || tryStatement.catches.contains { reschedules($0.body.statements) }
      case .scope(let scope):
        if case .timeout = scope.headers.first?.kind { return false }
        guard let (_, body) = scope.nested else { return false }
        return reschedules(body.statements)
      default: return false
      }
    }
  }

  private mutating func scope(_ header: ScopeHeader, body: Block, indent: Int) {
    switch header.kind {
    case .timeout(let expression):
      let variable = name("timeout")
      let binding = Self.reschedules(body.statements) ? " as \(variable)" : ""
      line("async with asyncio.timeout(\(duration(expression)))\(binding):", indent)
      timeouts.append(variable)
      statements(body.statements, indent: indent + 1)
      timeouts.removeLast()
    case .runner:
      uses.runner = true
      line("with Runner(item):", indent)
      statements(body.statements, indent: indent + 1)
    case .group:
      let variable = name("tg")
      line("async with asyncio.TaskGroup() as \(variable):", indent)
      groups.append(variable)
      statements(body.statements, indent: indent + 1)
      groups.removeLast()
    case .process(let arguments):
      uses.process = true
      let variable = name("process")
      let argv = arguments.map { Self.quote(text($0)) }.joined(separator: ", ")
      line("async with Process(\(argv)) as \(variable):", indent)
      processes.append(variable)
      statements(body.statements, indent: indent + 1)
      processes.removeLast()
    case .named(let word, let options):
      uses.scope = true
      var arguments = [Self.quote(text(word))]
      for option in options {
        switch option.kind {
        case .suppress: arguments.append("suppress=True")
        case .failEnter: arguments.append("fail_enter=True")
        case .throwExit: arguments.append("throw_exit=True")
        case .slowEnter(let value):
          arguments.append("slow_enter=\(duration(value, clampNegative: true))")
        case .slowExit(let value):
          arguments.append("slow_exit=\(duration(value, clampNegative: true))")
        }
      }
      line("async with Scope(\(arguments.joined(separator: ", "))):", indent)
      statements(body.statements, indent: indent + 1)
    }
  }
}
