import AsyncScope

// What a program needs beside the library, written in the file: its errors and its
// `scope NAME`.

extension SwiftWriter {
  // MARK: - Errors

  /// What a name word stands for: its text, parameters expanded.
  func name(_ word: Word) -> String {
    (try? word.resolveName(parameters: values)) ?? word.literalText ?? ""
  }

  /// The value `throw NAME` throws: the library's error of that name, or the program's
  /// own, declared in the file.
  mutating func errorValue(_ name: String) -> String {
    switch name {
    case "CancellationError": return "CancellationError()"
    case "TimeoutError": return "TimeoutError(limit: nil, elapsed: .zero)"
    case "RuntimeError": return "ScopeUsageError(\"RuntimeError\")"
    case _ where Self.spawnErrors.contains(name):
      return "ProcessSpawnError(name: \(string(name)), message: \"\")"
    default:
      declareError(name)
      return Self.errorType(name) + "()"
    }
  }

  /// `catch NAME`: the clause that catches the error of that name, `catch is KeyError`.
  ///
  /// The library throws every error as it is - an exit's error that replaced the body's,
  /// a body's error after its deadline (the corpus programs `catch_exit_error` and
  /// `catch_late_error`), a group's first failure -, so a type pattern matches them as the
  /// interpreter's `catch` does. A process that could not start is told apart by its
  /// error's name.
  mutating func catchPattern(_ name: String) -> String {
    let type: String
    switch name {
    case "CancellationError", "TimeoutError": type = name
    case "RuntimeError": type = "ScopeUsageError"
    case _ where Self.spawnErrors.contains(name):
      return "catch let error as ProcessSpawnError where error.name == " + string(name)
    default:
      declareError(name)
      type = Self.errorType(name)
    }
    return "catch is \(type)"
  }

  /// The names of ``ProcessSpawnError``: a process that could not start.
  fileprivate static let spawnErrors: Set<String> = [
    "FileNotFoundError", "PermissionError", "OSError",
  ]

  mutating func declareError(_ name: String) {
    if !errors.contains(name) { errors.append(name) }
  }

  /// The Swift type of the program's error `name`: the name itself, in backticks when it
  /// is not a plain identifier (`Key-Error`; `errorName` reads it without them), with a
  /// `_` when it would hide a type the view uses (`Runner`) - the trace then shows that.
  static func errorType(_ name: String) -> String {
    let plain =
      name.first.map { $0.isASCII && ($0.isLetter || $0 == "_") } == true
      && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    if reservedTypes.contains(name) || localNames.contains(name) || name == "_" {
      return (plain ? name : "`\(name)`") + "_"
    }
    return plain && !SwiftLiteral.keywords.contains(name) ? name : "`\(name)`"
  }

  /// Type names a nested type cannot take, or would take from the Swift the view writes.
  fileprivate static let reservedTypes: Set<String> = [
    "self", "Self", "init", "super", "Type", "Protocol", "Any", "AnyObject", "Error", "String",
    "Void", "Never", "Sendable", "ContinuousClock", "ExitContext", "ExitDecision",
    "ScopeUsageError", "ProcessSpawnError", "AsyncScope",
  ]

  // MARK: - Declarations

  /// What the program needs that the library does not offer, as short plain Swift: the
  /// `Flow` of a block that returns, `Scope` for `scope NAME`, `busy`, the errors.
  mutating func emitDeclarations() {
    if usesFlow {
      emit("/// How a scope's block ended: it ran to its end, or ran `return`.")
      emit("enum Flow {")
      emit("  case next")
      emit("  case returned(String?)")
      emit("}")
      emit("")
    }
    if usesScope { emitScopeType() }
    if usesBusy {
      emit("/// Spins for `duration` without ever checking cancellation: no deadline stops it.")
      emit("/// It yields now and then, so other tasks still run, but yielding never throws.")
      emit("static func busy(for duration: Duration) async {")
      emit("  let clock = ContinuousClock()")
      emit("  let end = clock.now.advanced(by: duration)")
      emit("  var spins = 0")
      emit("  while clock.now < end {")
      emit("    spins += 1")
      emit("    if spins % 1000 == 0 { await Task.yield() }")
      emit("  }")
      emit("}")
      emit("")
    }
    for name in errors {
      emit("struct \(Self.errorType(name)): Error {}")
    }
    if !errors.isEmpty { emit("") }
  }

  /// `scope NAME(options)`: a scope that traces its name and does what its options say,
  /// with a field for each option the program uses. Its `exit` is written here only.
  mutating func emitScopeType() {
    let has = scopeOptions.contains
    emit("/// `scope NAME`: a scope of its own that does nothing but what its options say.")
    emit("struct Scope: AsyncScope, TraceNamed {")
    depth += 1
    emit("let traceName: String")
    if has("suppress") { emit("var suppress = false") }
    if has("failEnter") { emit("var failEnter = false") }
    if has("throwExit") { emit("var throwExit = false") }
    if has("slowEnter") { emit("var slowEnter: Duration?") }
    if has("slowExit") { emit("var slowExit: Duration?") }
    emit("")
    if has("slowEnter") || has("failEnter") {
      emit("func enter() async throws {")
      if has("slowEnter") { emit("  if let slowEnter { try await Task.sleep(for: slowEnter) }") }
      if has("failEnter") { emit("  if failEnter { throw EnterError() }") }
      emit("}")
    } else {
      emit("func enter() async throws {}")
    }
    emit("")
    let decision = has("suppress") ? "suppress ? .suppress : .propagate" : ".propagate"
    if has("slowExit") || has("throwExit") {
      emit("func exit(_ context: ExitContext<Void>) async throws -> ExitDecision {")
      if has("slowExit") {
        emit("  if let slowExit {")
        emit("    // In a task of its own, not cancelled with this one: cleanup finishes.")
        emit("    try await Task { try await Task.sleep(for: slowExit) }.value")
        emit("  }")
      }
      if has("throwExit") { emit("  if throwExit { throw ExitError() }") }
      emit("  return \(decision)")
      emit("}")
    } else {
      emit("func exit(_ context: ExitContext<Void>) async throws -> ExitDecision {")
      emit("  \(decision)")
      emit("}")
    }
    depth -= 1
    emit("}")
    emit("")
  }
}
