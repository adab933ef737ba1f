import AsyncScope

/// `compare [PROGRAM]`: the program in scopelab and in CPython asyncio, side by side.
extension Session {
  func compare(_ given: String?) async -> CommandResult {
    if given == nil, let language = current?.language {
      return fail(
        "compare runs a scope program; the current one is real \(language.displayName) code"
          + " ('run' traces it, 'check' grades it)")
    }
    // As `show swift`: the program a bare `run` runs, else the last run.
    guard let source = given ?? currentProgram ?? lastProgram else {
      return fail(
        "no program to compare: open a lesson, run one, or give one (compare runner { sleep 1 })")
    }
    if let refused = refusal(withoutConsentTo: .compare(source)) { return refused }
    var core = CompareCommandCore(source: source, parameters: parameters)
    core.width = proseWidth
    core.clock = clock
    let status = await core.run(output: output, errors: errors, controller: controller)
    // Orphans either side left (a grandchild that escaped its group by setsid), as after
    // a run; compare has no audit line to name them.
    await ProcessOrphans.killAdopted()
    return status == 2 ? .invalid : .done
  }
}
