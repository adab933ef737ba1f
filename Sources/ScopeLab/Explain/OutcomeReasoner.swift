import AsyncScope
import PosixThread

/// The reasoning behind ``OutcomeExplanation``: which step of which scope decided the
/// outcome, told in the words of Lessons/rules.md.
struct OutcomeReasoner {
  /// The main reason: the summary line, its rule, lines that belong to it, and the notes it
  /// already covers (scope ids and pids) so they are not told twice.
  struct Finding {
    var rule: String?
    var summary: String
    var lines: [String] = []
    var explained: Set<String> = []
  }

  /// How long a body may take to reach its exit after a cancellation before the
  /// explanation calls it busy: well above the cancellation latency of a loaded machine.
  static let busyThreshold: Duration = .milliseconds(100)

  let facts: TraceFacts
  let result: TraceFacts.Result

  var outcome: String { result.outcome }

  func finding() -> Finding {
    if outcome == "ok" { return okFinding() }
    if outcome == "KeyboardInterrupt" || RunOutcome.signalNumbers[outcome] != nil,
      !facts.interrupts.isEmpty || outcome == "KeyboardInterrupt"
    {
      return interruptFinding()
    }
    return errorFinding()
  }

  // MARK: - Interrupted

  private func interruptFinding() -> Finding {
    let first = facts.interrupts.first
    let when = first.map { " at \(seconds($0.time))" } ?? ""
    var summary =
      outcome == "KeyboardInterrupt"
      ? "KeyboardInterrupt: Ctrl-C\(when) cancelled the run"
      : "\(outcome): the signal\(when) cancelled the run, as Ctrl-C does"
    summary += facts.entered.isEmpty ? "" : " and every exit still ran"
    var finding = Finding(rule: "REPL1", summary: summary + " (REPL1)")
    let overruled = facts.scopes.filter { $0.done?.step == .passedOn(because: .callerCancelled) }
    if !overruled.isEmpty {
      let ids = overruled.map(\.id)
      finding.summary +=
        "; the deadline of \(list(ids)) had passed too, but outside cancellation wins (TO3)"
      finding.explained.formUnion(ids)
    }
    return finding
  }

  // MARK: - ok

  private func okFinding() -> Finding {
    if let value = result.value {
      return Finding(
        rule: "W2",
        summary: "ok: returned \(value) - 'return' ended the program, and every scope it left"
          + " exited with no error (W2)")
    }
    if let scope = facts.scopes.first(where: { !$0.suppressed.isEmpty }) {
      return Finding(
        rule: "W3",
        summary: "ok: the exit of \(scope.id) suppressed \(scope.suppressed[0]), so the"
          + " statement after the scope ran (W3)",
        explained: [scope.id])
    }
    if let caught = caughtError() { return caught }
    if let timeout = facts.scopes.first(where: { $0.done?.step == .bodyFinished }) {
      let fired = timeout.fired.first.map { " at \(seconds($0))" } ?? ""
      if isDeadlinePassedAtEnter(timeout) {
        return Finding(
          rule: "TO6",
          summary: "ok: the deadline of \(timeout.id) had already passed when it entered, but"
            + " its body never checked for cancellation and finished, so its result stands, with"
            + " expired = true (TO6, TO4)",
          explained: [timeout.id])
      }
      return Finding(
        rule: "TO4",
        summary: "ok: the deadline of \(timeout.id) passed\(fired), but its body finished all"
          + " the same, so its result stands, with expired = true (TO4)",
        explained: [timeout.id])
    }
    if let child = facts.children.first(where: { $0.signals.isEmpty && isNotZero($0.status) }) {
      return Finding(
        rule: "PR3",
        summary: "ok: pid \(child.pid) (\(child.command)) ended with \(child.status ?? "?"), and an"
          + " exit status is a result, not an error (PR3)",
        explained: ["pid \(child.pid)"])
    }
    guard !facts.entered.isEmpty else {
      return Finding(rule: nil, summary: "ok: the program ran to its end; no scope was entered")
    }
    let count = facts.entered.count
    return Finding(
      rule: "W2",
      summary: "ok: "
        + (count == 1 ? "the scope's body" : "each scope's body") + " ended without an error, and "
        + (count == 1 ? "its exit" : "each of the \(count) exits")
        + " ran once with nothing to handle (W2)")
  }

  /// An error that left a scope and was caught by a `try` around it: the run went on.
  private func caughtError() -> Finding? {
    let caught = facts.scopes.first { scope in
      guard !scope.isTask, let error = scope.done?.error else { return false }
      guard let parent = facts.scope(id: scope.parent) else { return true }
      return parent.exit.map { $0.error != error && $0.time >= (scope.ended ?? .zero) } ?? true
    }
    guard let outermost = caught, let error = outermost.done?.error else { return nil }
    let (origin, path) = trace(error, from: outermost)
    if case .converted(let timeout) = origin {
      let fired = timeout.fired.first.map { " at \(seconds($0))" } ?? ""
      return Finding(
        rule: "TO1",
        summary: "ok: the deadline of \(timeout.id) passed\(fired) and it raised TimeoutError"
          + " (TO3); a try caught it, and the program went on, since a timeout cancels only"
          + " its body, which runs in a task of its own (TO1; asyncio.timeout cancels the"
          + " task itself and takes that back with uncancel() as it exits)",
        explained: [timeout.id])
    }
    if error == "TimeoutError", case .thrown(let scope) = origin,
      let timeout = path.first(where: { $0.isTimeout && $0.exit?.expired != true })
    {
      return Finding(
        rule: "TO8",
        summary: "ok: the program threw a TimeoutError of its own inside \(scope.id), not the"
          + " timeout's: the deadline of \(timeout.id) had not passed (expired = false); a try"
          + " caught it, so the program went on (TO8)")
    }
    return Finding(
      rule: "W3",
      summary: "ok: \(error) left \(outermost.id) and a try caught it, so the program went on"
        + " (W3)")
  }

  // MARK: - Words

  func seconds(_ duration: Duration) -> String {
    formatSeconds(duration, digits: 3)
  }

  /// `a`, `a and b`, `a, b and c`.
  func list(_ items: [String]) -> String {
    guard let last = items.last else { return "" }
    guard items.count > 1 else { return last }
    return items.dropLast().joined(separator: ", ") + " and " + last
  }

  /// A status other than `exited(0)`: `exited(3)`, `signaled(15)`.
  func isNotZero(_ status: String?) -> Bool {
    status.map { $0 != "exited(0)" } ?? false
  }

  /// TO6: the timeout fired as it entered (a deadline of 0 or less), not rescheduled.
  func isDeadlinePassedAtEnter(_ timeout: TraceFacts.Scope) -> Bool {
    guard let fired = timeout.fired.first, timeout.reschedules.isEmpty else { return false }
    return fired - timeout.entered < .milliseconds(1)
  }

  /// The message of the run's error without its name: `[Errno 2] No such file ...`.
  var errorMessage: String? {
    guard let detail = result.detail, detail.hasPrefix(outcome + ": ") else { return nil }
    return String(detail.dropFirst(outcome.count + 2))
  }
}
