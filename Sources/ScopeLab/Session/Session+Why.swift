import AsyncScope

/// The audit line after every run, and `why`: the last run's outcome explained.
extension Session {
  /// Prints the run's `audit:` line: every exit ran once, every flag is false again, no
  /// child process is left - or, in the error colour, what is wrong.
  ///
  /// - Parameter strays: processes of the run found running after it, outside every
  ///   child's process group (already killed).
  func printAudit(strays: [ProcessOrphans.Stray] = []) {
    // One line, as the trace's are: a run's report, read and searched line by line - but
    // at a terminal wrapped as they are, its lines after the first under its text.
    let audit = RunAudit.audit(lastRun, strays: strays)
    output.write(audit.rendered(palette: palette, width: fittedScreenWidth) + "\n")
  }

  /// `why`: the last run's outcome, the step and the rule that decided it.
  func why() -> CommandResult {
    guard !lastRun.isEmpty else { return fail("nothing has run yet: try 'run'") }
    say(OutcomeExplanation.explain(lastRun).text + "\n")
    return .done
  }
}
