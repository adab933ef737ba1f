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

  init(parameters: Parameters) {
    self.parameters = parameters
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
  /// backslashes and control characters; other Unicode as is (the file is UTF-8).
  static func quote(_ text: String) -> String {
    let inside = text.escapedForLiteral { scalar in
      scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
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
      line("try:", indent)
      statements(tryStatement.body.statements, indent: indent + 1)
      for clause in tryStatement.catches {
        let name = clause.errorName.map { errorClass(text($0)) } ?? "BaseException"
        line("except \(name):", indent)
        statements(clause.body.statements, indent: indent + 1)
      }
    case .returnValue(let value):
      line(value.map { "return \(Self.quote(text($0)))" } ?? "return", indent)
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

  /// The Python class for an error name: declared unless Python has it built in.
  private mutating func errorClass(_ name: String) -> String {
    switch name {
    case "CancellationError": return "asyncio.CancelledError"
    case "EnterError", "ExitError":
      uses.scope = true
      return name
    default:
      if !Self.builtInErrors.contains(name) && !uses.errors.contains(name) {
        uses.errors.append(name)
      }
      return name
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
