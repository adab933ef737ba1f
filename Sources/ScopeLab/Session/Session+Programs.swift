import AsyncScope

extension Session {
  /// The program a command runs, and what comes before it: `("run ", "sleep 1")` for
  /// `run sleep 1`, `("", "sleep 1")` for the bare statement; `nil` for other commands
  /// (and for `run` alone, which runs the step's program).
  static func programPart(of command: String) -> (prefix: String, program: String)? {
    let trimmed = command.trimmingSpaces()
    guard case .command(.run(let program?)) = Command.parse(trimmed) else { return nil }
    return program == trimmed ? ("", trimmed) : ("run ", program)
  }

  /// Whether a command with every brace and quote closed still goes on: a program that
  /// ends where a next line may bring its block, a `catch` or the scope after a `,`
  /// (`try { sleep 1 }` waiting for `catch TimeoutError { ... }`).
  static func expectsMoreLines(_ command: String) -> Bool {
    guard let (_, source) = programPart(of: command) else { return false }
    do {
      _ = try Program(parsing: source)
      return false
    } catch {
      return error.endsTooSoon
    }
  }

  /// What the history keeps for a command typed over several lines (`lines`, joined by
  /// line breaks): the scanner's one-line form (`joined`) when it means the same program,
  /// otherwise the program printed on one line. A command that is no program, or does
  /// not parse, keeps the one-line form as it is, to be recalled and fixed.
  static func historyEntry(lines: String, joined: String) -> String {
    let joined = joined.trimmingSpaces()
    guard let (prefix, source) = programPart(of: lines),
      let program = try? Program(parsing: source)
    else { return joined }
    if let (_, joinedSource) = programPart(of: joined),
      let joinedProgram = try? Program(parsing: joinedSource),
      joinedProgram.formatted() == program.formatted()
    {
      return joined
    }
    return prefix + program.formatted(.singleLine)
  }
}
