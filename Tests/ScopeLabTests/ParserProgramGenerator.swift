@testable import ScopeLab

/// Random valid programs for the round-trip property: every statement, scope, option and
/// kind of word (quotes, parameters, odd characters), respecting the grammar's rules
/// (`wait` inside `process`, `reschedule` inside `timeout`, `task` inside `group` and no
/// `return` inside a `task`, a bare `catch` last).
struct ParserProgramGenerator {
  var random: SeededRandom

  init(seed: UInt64) {
    random = SeededRandom(seed: seed)
  }

  private mutating func chance(_ percent: Int) -> Bool {
    Int.random(in: 0..<100, using: &random) < percent
  }

  private mutating func pick<T>(_ values: [T]) -> T {
    values[Int.random(in: 0..<values.count, using: &random)]
  }

  private struct Context {
    var depth = 0
    var inProcess = false
    var inTimeout = false
    var inGroup = false
    var inTask = false
  }

  mutating func program() -> Program {
    Program(statements(Context()))
  }

  private mutating func statements(_ context: Context) -> [Statement] {
    let count = Int.random(in: 0...(context.depth < 3 ? 4 : 2), using: &random)
    return (0..<count).map { _ in statement(context) }
  }

  private mutating func statement(_ context: Context) -> Statement {
    var choices = ["sleep", "busy", "print", "throw"]
    if !context.inTask { choices.append("return") }
    if context.depth < 4 { choices += ["scope", "scope", "try"] }
    if context.depth < 4 && context.inGroup { choices.append("task") }
    if context.inProcess { choices.append("wait") }
    if context.inTimeout { choices.append("reschedule") }
    let kind: Statement.Kind
    switch pick(choices) {
    case "sleep": kind = .sleep(duration())
    case "busy": kind = .busy(duration())
    case "reschedule": kind = .reschedule(duration())
    case "print": kind = .print((0..<Int.random(in: 0...3, using: &random)).map { _ in text() })
    case "throw": kind = .throwError(name())
    case "return": kind = .returnValue(chance(50) ? text() : nil)
    case "wait": kind = .wait
    case "task":
      var inner = context
      inner.depth += 1
      inner.inTask = true
      kind = .task(block(statements(inner)))
    case "try":
      var inner = context
      inner.depth += 1
      let body = block(statements(inner))
      var catches: [CatchClause] = []
      for index in 0..<Int.random(in: 1...3, using: &random) {
        let last = index == 2
        let errorName: Word? = last && chance(50) ? nil : name()
        catches.append(
          CatchClause(errorName: errorName, body: block(statements(inner)), position: here))
        if errorName == nil { break }
      }
      kind = .tryCatch(TryStatement(body: body, catches: catches))
    default:
      var inner = context
      var headers: [ScopeHeader] = []
      for _ in 0..<Int.random(in: 1...3, using: &random) {
        let header = scopeHeader()
        inner.depth += 1
        if case .process = header.kind { inner.inProcess = true }
        if case .timeout = header.kind { inner.inTimeout = true }
        if case .group = header.kind { inner.inGroup = true }
        headers.append(ScopeHeader(header.kind, position: here))
      }
      kind = .scope(ScopeStatement(headers: headers, body: block(statements(inner))))
    }
    return Statement(kind, position: here)
  }

  private func block(_ statements: [Statement]) -> Block {
    Block(statements, position: here, end: here)
  }

  private mutating func scopeHeader() -> ScopeHeader {
    switch Int.random(in: 0..<5, using: &random) {
    case 0: return ScopeHeader(.timeout(duration()), position: here)
    case 4: return ScopeHeader(.group, position: here)
    case 1: return ScopeHeader(.runner, position: here)
    case 2:
      let count = Int.random(in: 1...3, using: &random)
      return ScopeHeader(.process((0..<count).map { _ in text() }), position: here)
    default:
      var options: [ScopeOption] = []
      for name in ["suppress", "fail-enter", "throw-exit", "slow-enter", "slow-exit"].shuffled(
        using: &random) where chance(30)
      {
        let kind: ScopeOption.Kind =
          switch name {
          case "suppress": .suppress
          case "fail-enter": .failEnter
          case "throw-exit": .throwExit
          case "slow-enter": .slowEnter(duration())
          default: .slowExit(duration())
          }
        options.append(ScopeOption(kind, position: here))
      }
      return ScopeHeader(.named(name(), options: options), position: here)
    }
  }

  private mutating func duration() -> DurationExpr {
    switch Int.random(in: 0..<6, using: &random) {
    case 0: return DurationExpr(Word([param("sleep")], position: here))
    case 1: return DurationExpr(Word([param("d"), .literal("ms")], position: here))
    default: return DurationExpr(word(pick(["1", "0.5", "500ms", "inf", "none", "-1", "2s", "0"])))
    }
  }

  private mutating func name() -> Word {
    chance(15)
      ? Word([param("err")], position: here)
      : word(pick(["A", "B_1", "KeyError", "x.y-z", "_t", "\u{00C9}t\u{00E9}"]))
  }

  private mutating func text() -> Word {
    let pieces = [
      "done", "", "a b", "it's", "\"q\"", "$", "$$", "back\\slash", "{", "}", "(", ")", ",",
      ";", "#c", "two\nlines", "tab\t", "\u{1F600}", "catch", "-c", "x=1", "\\\n",
    ]
    var parts: [Word.Part] = []
    for _ in 0..<Int.random(in: 1...3, using: &random) {
      parts.append(chance(20) ? param(pick(["x", "y_2", "sleep"])) : .literal(pick(pieces)))
    }
    return Word(parts, position: here)
  }
}
