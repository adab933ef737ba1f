public import AsyncScope

/// The check after every REPL run: every exit ran exactly once (W2), every runner flag is
/// false again (RUNNER), and no child process is left, in the trace or on the machine (PR2).
public enum RunAudit {
  /// Audits a run from its trace, asking the operating system about every child the trace
  /// started.
  ///
  /// - Parameters:
  ///   - leftover: What is left of a child process; ``ProcessLeftover/check(pid:)``
  ///     by default (tests pass their own).
  ///   - strays: Processes the run left that escaped their child's process group (a
  ///     grandchild that called `setsid`) and were found still running after it, as
  ///     orphans scopelab adopted (``ProcessOrphans/killAdopted()``).
  public static func audit(
    _ events: [TraceEvent],
    leftover: (Int32) -> ProcessLeftover? = ProcessLeftover.check(pid:),
    strays: [ProcessOrphans.Stray] = []
  ) -> AuditReport {
    let facts = TraceFacts(events)
    var checks: [String] = []
    var problems: [String] = []

    // W1 and W2: an exit for every enter that succeeded, none for one that failed.
    for scope in facts.scopes {
      if scope.enterFailed != nil {
        if !scope.exits.isEmpty {
          problems.append("\(scope.id) exited after its enter failed (W1)")
        }
        continue
      }
      switch scope.exits.count {
      case 0: problems.append("\(scope.id) never exited (W2)")
      case 1: break
      case let count: problems.append("\(scope.id) exited \(count) times (W2)")
      }
      switch scope.exitsDone.count {
      case 0 where scope.exits.count == 1: problems.append("\(scope.id)'s exit never returned (W2)")
      case 0, 1: break
      case let count: problems.append("\(scope.id)'s exit returned \(count) times (W2)")
      }
    }
    for id in facts.exitedWithoutEnter {
      problems.append("\(id) exited without entering (W2)")
    }
    let entered = facts.entered.count
    if entered > 0 {
      checks.append(entered == 1 ? "1 exit ran once" : "\(entered) exits ran once each")
    }
    let failed = facts.scopes.count - entered
    if failed > 0 {
      checks.append(
        failed == 1 ? "no exit after the failed enter" : "no exit after the \(failed) failed enters"
      )
    }

    // RUNNER: every flag ends false.
    var lastValues: [(scope: String, name: String, value: Bool)] = []
    for flag in facts.flags {
      if let at = lastValues.firstIndex(where: { $0.scope == flag.scope && $0.name == flag.name }) {
        lastValues[at].value = flag.value
      } else {
        lastValues.append(flag)
      }
    }
    for flag in lastValues where flag.value {
      problems.append("\(flag.scope) left \(flag.name)=true (RUNNER)")
    }
    var names: [String] = []
    for flag in lastValues where !names.contains(flag.name) { names.append(flag.name) }
    checks += names.map { "\($0)=false again" }

    // PR2: every child reaped once, and nothing of it left on the machine.
    for child in facts.children {
      switch leftover(child.pid) {
      case .unreaped?:
        problems.append("pid \(child.pid) was never reaped: it still runs or is a zombie (PR2)")
        continue
      case .liveGroupMember?:
        problems.append("pid \(child.pid)'s process group still has a live process (PR2)")
      case nil:
        break
      }
      switch child.reapedCount {
      case 0: problems.append("pid \(child.pid) has no reaped line (PR2)")
      case 1: break
      case let count: problems.append("pid \(child.pid) was reaped \(count) times (PR2)")
      }
    }
    for stray in strays {
      problems.append(
        "pid \(stray.pid) (\(stray.command.controlCharactersEscaped)) left its process group and "
          + "outlived the run: killed (PR2)")
    }
    if !facts.children.isEmpty && strays.isEmpty { checks.append("no child process left") }

    if !events.isEmpty, facts.result == nil { problems.append("the trace has no result line") }
    return AuditReport(checks: checks, problems: problems)
  }
}
