import AsyncScope

/// The other steps that mattered, one line each with its rule, in the order they happened.
extension OutcomeReasoner {
  /// Every note the main finding did not already tell (`explained`: scope ids, `pid N`).
  func notes(skipping explained: Set<String>) -> [String] {
    var notes: [(time: Duration, text: String)] = []
    for scope in facts.scopes where !explained.contains(scope.id) {
      if let text = stepNote(scope) { notes.append((scope.done?.time ?? scope.entered, text)) }
    }
    for timeout in facts.scopes where timeout.isTimeout {
      notes += busyNotes(timeout)
    }
    for group in facts.scopes where group.isGroup {
      notes += taskNotes(group)
    }
    for child in facts.children where !explained.contains("pid \(child.pid)") {
      if let text = processNote(child) { notes.append((child.ended ?? child.started, text)) }
    }
    for interrupt in facts.interrupts
    where interrupt.signal == "SIGINT" && interrupt.count == 2 && interrupt.escalates {
      notes.append(
        (
          interrupt.time,
          "Ctrl-C again at \(seconds(interrupt.time)): a teardown in its grace period sends"
            + " SIGKILL at once (REPL1)"
        ))
    }
    return notes.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
      .map(\.element.text)
  }

  /// The decisive step of one scope's exit, if it took one worth telling.
  private func stepNote(_ scope: TraceFacts.Scope) -> String? {
    let id = scope.id
    if let error = scope.suppressed.first {
      return "the exit of \(id) suppressed \(error), so the statement after it ran (W3)"
    }
    switch scope.done?.step {
    case .converted?:
      let fired = scope.fired.first.map { " (deadline passed at \(seconds($0)))" } ?? ""
      return "\(id) turned its cancellation into TimeoutError\(fired) (TO3)"
    case .passedOn(because: .enclosingExpired(let outer))?:
      let which = outer.map { ", \($0)," } ?? ""
      return "\(id) expired too, but passed the cancellation on: only the outermost expired"
        + " timeout\(which) converts (TO5)"
    case .passedOn(because: .callerCancelled)?:
      return "the deadline of \(id) passed too, but the caller was cancelled as well, so it"
        + " passed the cancellation on: outside cancellation wins (TO3)"
    case .suppressRefused?:
      return "the exit of \(id) asked to suppress the cancellation: refused, since no scope may"
        + " suppress a cancellation it did not cause (W4)"
    case .bodyFinished?:
      let fired = scope.fired.first.map { " at \(seconds($0))" } ?? ""
      return "the deadline of \(id) passed\(fired), but its body finished all the same: its"
        + " result stands, with expired = true (TO4)"
    case .exitConverted(let replacing)?:
      return "the exit of \(id) converted \(replacing) into \(scope.done?.error ?? "an error")"
        + " (W3)"
    case .raised(let replacing)?:
      if scope.isGroup && scope.done?.error == "CancellationError" { return cancelledGroup(id) }
      let replaced = replacing.map { ", replacing \($0)" } ?? ""
      return "the exit of \(id) raised \(scope.done?.error ?? "an error")\(replaced) (W3)"
    case nil:
      return plainNote(scope)
    }
  }

  /// Scopes that took no step of their own but still decided something: a timeout that had
  /// not expired, a cancelled group, a group's first failure.
  private func plainNote(_ scope: TraceFacts.Scope) -> String? {
    guard let exit = scope.exit else { return nil }
    if scope.isTimeout && exit.expired != true {
      let expiredAbove = facts.ancestors(of: scope.id).contains {
        $0.isTimeout && $0.exit?.expired == true
      }
      if exit.error == "CancellationError" && scope.done?.error == "CancellationError" {
        return "\(scope.id) had not expired, so it passed the cancellation on"
          + (expiredAbove ? " (TO5)" : " (TO3)")
      }
      let convertedInside = facts.subtree(of: scope.id).contains { $0.done?.step == .converted }
      if exit.error == "TimeoutError" && convertedInside {
        return "\(scope.id) had not expired, so it let TimeoutError go on (TO5)"
      }
      return nil
    }
    guard scope.isGroup else { return nil }
    if exit.error == "CancellationError" { return cancelledGroup(scope.id) }
    if let error = scope.done?.error, error != "CancellationError",
      let task = facts.children(of: scope.id).filter({ $0.isTask && $0.done?.error == error })
        .min(by: { ($0.ended ?? .zero) < ($1.ended ?? .zero) })
    {
      let when = task.exit.map { " at \(seconds($0.time))" } ?? ""
      return "\(scope.id) threw its first failure, \(error) from \(task.id)\(when), after"
        + " cancelling the rest and waiting for them (TG3)"
    }
    return nil
  }

  private func cancelledGroup(_ id: String) -> String {
    "\(id) was cancelled from outside: it cancelled its tasks, waited for them all, then"
      + " passed the cancellation on (TG4)"
  }

  /// TO2: a timeout's body that went on long after its deadline, and the scope waited.
  private func busyNotes(_ timeout: TraceFacts.Scope) -> [(time: Duration, text: String)] {
    guard isBusy(timeout), let fired = timeout.fired.first,
      let lag = reactionTime(of: timeout.id, after: fired),
      // The outermost busy timeout tells it for the timeouts inside it.
      !facts.ancestors(of: timeout.id).contains(where: isBusy)
    else { return [] }
    return [
      (
        fired + lag,
        "the body of \(timeout.id) went on for \(seconds(lag)) after its deadline, never"
          + " checking cancellation, and the scope waited for it (TO2)"
      )
    ]
  }

  private func isBusy(_ timeout: TraceFacts.Scope) -> Bool {
    guard timeout.isTimeout, let fired = timeout.fired.first else { return false }
    return activity(in: timeout, at: fired) == "while its body was busy"
  }

  /// TG5: tasks that kept their group open after it cancelled them.
  private func taskNotes(_ group: TraceFacts.Scope) -> [(time: Duration, text: String)] {
    guard let moment = cancelMoment(of: group) else { return [] }
    return facts.children(of: group.id).compactMap { task in
      guard task.isTask, task.entered <= moment,
        let lag = reactionTime(of: task.id, after: moment), lag >= Self.busyThreshold,
        let end = task.exit?.time
      else { return nil }
      return (
        end,
        "\(task.id) kept \(group.id) open until \(seconds(end)): it did not check"
          + " cancellation, and a group waits for every task (TG5)"
      )
    }
  }

  /// When a group's tasks were cancelled: a deadline around it fired, Ctrl-C came, or a
  /// task failed first.
  private func cancelMoment(of group: TraceFacts.Scope) -> Duration? {
    guard let end = group.done?.time else { return nil }
    let during = { (time: Duration) in time >= group.entered && time <= end }
    var moments = facts.ancestors(of: group.id).flatMap(\.fired).filter(during)
    moments += facts.interrupts.map(\.time).filter(during)
    moments += facts.children(of: group.id).compactMap { task in
      guard task.isTask, let exit = task.exit, let error = exit.error,
        error != "CancellationError"
      else { return nil }
      return exit.time
    }
    return moments.min()
  }

  /// PR2: a teardown, told signal by signal; PR3: a non-zero status that is only a result.
  private func processNote(_ child: TraceFacts.Child) -> String? {
    let status = child.status ?? "no status"
    let owner = child.scope ?? "a process scope"
    guard let first = child.signals.first else {
      guard isNotZero(child.status) else { return nil }
      return
        "pid \(child.pid) (\(child.command)) ended with \(status): a result, not an error (PR3)"
    }
    var steps = ["\(first.signal) to pid \(child.pid) at \(seconds(first.time))"]
    for later in child.signals.dropFirst() {
      let cut = facts.interrupts.contains {
        $0.escalates && $0.time >= first.time && $0.time <= later.time
      }
      let why = cut ? "a second Ctrl-C cut the grace period short" : "the grace period was over"
      steps.append("\(later.signal) at \(seconds(later.time)) (\(why))")
    }
    steps.append(status)
    steps.append(child.reapedCount > 0 ? "reaped" : "not reaped")
    return "\(owner) tore its child down: " + steps.joined(separator: ", ")
      + " (PR2; nothing does that for a plain asyncio.create_subprocess_exec child: it goes"
      + " on running)"
  }
}
