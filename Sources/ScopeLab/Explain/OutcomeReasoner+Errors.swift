import AsyncScope

/// An error outcome: follow the error from the outermost scope it left down to where it
/// began, then say what decided it there.
extension OutcomeReasoner {
  /// Where the run's error began.
  enum Origin {
    /// A scope's enter failed (W1, PR1).
    case enterFailed(TraceFacts.Scope)
    /// A timeout turned its cancellation into `TimeoutError` (TO3).
    case converted(TraceFacts.Scope)
    /// A scope's exit raised its own error (W3).
    case raised(TraceFacts.Scope)
    /// The body of a scope threw it: the innermost scope that saw it.
    case thrown(TraceFacts.Scope)
    /// Thrown where no scope was open.
    case outside
  }

  func errorFinding() -> Finding {
    let (origin, path) = trace(outcome)
    // `path` runs from the origin's scope outwards: the scopes the error left, in order.
    var finding = originFinding(origin, path: path)
    if case .thrown = origin, let task = path.first(where: isGroupTask), let group = parent(task) {
      finding = groupFailureFinding(task: task, group: group, origin: origin, path: path)
    } else if let timeout = path.first(where: isExpiredPassingOwnError) {
      finding = afterExpiryFinding(timeout, origin: origin, path: path)
    } else if outcome == "TimeoutError", case .thrown(let scope) = origin,
      let timeout = path.first(where: { $0.isTimeout && $0.exit?.expired != true })
    {
      let whose =
        scope.id == timeout.id
        ? "\(scope.id), whose deadline" : "\(scope.id), and the deadline of \(timeout.id)"
      let told = [scope.id, timeout.id]
      finding = Finding(
        rule: "TO8",
        summary: "TimeoutError: the program threw it itself inside \(whose) had not passed"
          + " (expired = false): not the timeout's own TimeoutError, so it went on like any"
          + " error (TO8)",
        lines: passedThrough(path.filter { !told.contains($0.id) }, from: origin))
    }
    switch origin {
    case .enterFailed(let scope), .converted(let scope), .raised(let scope):
      finding.explained.insert(scope.id)
    case .thrown, .outside: break
    }
    return finding
  }

  /// The origin of `error` and the scopes it left, innermost first.
  /// - Parameter outermost: The scope the error left last; by default the last top-level
  ///   scope that `error` left.
  func trace(_ error: String, from outermost: TraceFacts.Scope? = nil) -> (
    Origin, [TraceFacts.Scope]
  ) {
    let produced = { (scope: TraceFacts.Scope) in
      scope.done?.error == error || scope.enterFailed == error
    }
    guard
      var current = outermost ?? facts.scopes.last(where: { $0.parent == nil && produced($0) })
    else {
      return (.outside, [])
    }
    var path = [current]
    while true {
      if current.enterFailed == error { return (.enterFailed(current), path) }
      switch current.done?.step {
      case .converted?: return (.converted(current), path)
      case .raised?, .exitConverted?: return (.raised(current), path)
      default: break
      }
      let received = current.exit?.time ?? .zero
      let candidates = facts.children(of: current.id).filter {
        produced($0) && ($0.ended ?? received) <= received
      }
      // A group's error is its first failure; anywhere else, the last scope that left it.
      let next =
        current.isGroup
        ? candidates.min { ($0.ended ?? .zero) < ($1.ended ?? .zero) } : candidates.last
      guard let next else { return (.thrown(current), path) }
      path.insert(next, at: 0)
      current = next
    }
  }

  private func originFinding(_ origin: Origin, path: [TraceFacts.Scope]) -> Finding {
    let name = outcome
    switch origin {
    case .enterFailed(let scope):
      let through = passedThrough(path, from: origin)
      if scope.isProcess {
        let why = errorMessage.map { " (\($0))" } ?? ""
        return Finding(
          rule: "PR1",
          summary: "\(name): the enter of \(scope.id) failed\(why), so nothing was spawned, and"
            + " its body and exit never ran (PR1, W1)",
          lines: through)
      }
      return Finding(
        rule: "W1",
        summary: "\(name): the enter of \(scope.id) failed, so its body and exit never ran,"
          + " and the error went on unchanged (W1)",
        lines: through)
    case .converted(let timeout):
      return conversionFinding(timeout, path: path)
    case .raised(let scope):
      if case .exitConverted(let replacing)? = scope.done?.step {
        return Finding(
          rule: "W3",
          summary: "\(name): the exit of \(scope.id) converted \(replacing) into it; the new"
            + " error replaces \(replacing) and keeps nothing of it (W3)",
          lines: passedThrough(path, from: origin))
      }
      if case .raised(let replacing?)? = scope.done?.step {
        return Finding(
          rule: "W3",
          summary: "\(name): the exit of \(scope.id) raised it while \(replacing) was in flight;"
            + " the new error replaces \(replacing), which the trace keeps as context (W3)",
          lines: passedThrough(path, from: origin))
      }
      return Finding(
        rule: "W3",
        summary: "\(name): the exit of \(scope.id) raised it, after its body ended without an"
          + " error (W3)",
        lines: passedThrough(path, from: origin))
    case .thrown(let scope):
      let when = scope.exit.map { " at \(seconds($0.time))" } ?? ""
      let left = path.map(\.id)
      let through =
        left.count > 3
        ? list(Array(left.prefix(2)) + ["\(left.count - 2) more"])
        : list(left)
      return Finding(
        rule: "W3",
        summary: "\(name): the program threw it inside \(scope.id)\(when), and no exit"
          + " suppressed it: it went through \(through) and ended the run (W3)")
    case .outside:
      return Finding(
        rule: nil, summary: "\(name): the program threw it outside any scope, so no exit saw it")
    }
  }

  /// TO3 (or TO6): a timeout converted its own cancellation.
  private func conversionFinding(_ timeout: TraceFacts.Scope, path: [TraceFacts.Scope])
    -> Finding
  {
    let through = passedThrough(path, from: .converted(timeout))
    if isDeadlinePassedAtEnter(timeout) {
      return Finding(
        rule: "TO6",
        summary: "TimeoutError: the deadline of \(timeout.id) had already passed when it"
          + " entered, so its body was cancelled before it started and the first check for"
          + " cancellation in it threw CancellationError; nothing outside was cancelling (TO6)",
        lines: through)
    }
    let fired = timeout.fired.first ?? timeout.entered
    let moved = timeout.reschedules.last.flatMap { $0 }.map { ", rescheduled to \(seconds($0))," }
    return Finding(
      rule: "TO3",
      summary: "TimeoutError: the deadline of \(timeout.id)\(moved ?? "") passed at"
        + " \(seconds(fired)) \(activity(in: timeout, at: fired)); the body ended with"
        + " CancellationError and nothing outside was cancelling (TO3)",
      lines: through)
  }

  /// TG3: a task (or a scope inside it) failed first, and its group threw that error.
  private func groupFailureFinding(
    task: TraceFacts.Scope, group: TraceFacts.Scope, origin: Origin, path: [TraceFacts.Scope]
  ) -> Finding {
    let when = task.exit.map { " at \(seconds($0.time))" } ?? ""
    var summary =
      "\(outcome): \(task.id) of \(group.id) failed first\(when); the group cancelled its body"
      + " and its other tasks, waited for them all, then threw that first error (TG3)"
    if let others = result.detail?.firstRange(of: " more: ") {
      summary += "; the later failures are context: \(result.detail?[others.upperBound...] ?? "")"
    }
    let above = path.drop { $0.id != group.id }.dropFirst()
    return Finding(
      rule: "TG3", summary: summary,
      lines: above.isEmpty ? [] : [throughLine(above.map(\.id))], explained: [group.id])
  }

  /// TO4: an expired timeout's body ended with an error of its own, which goes on as itself.
  private func afterExpiryFinding(
    _ timeout: TraceFacts.Scope, origin: Origin, path: [TraceFacts.Scope]
  ) -> Finding {
    let fired = timeout.fired.first.map { " at \(seconds($0))" } ?? ""
    return Finding(
      rule: "TO4",
      summary: "\(outcome): the deadline of \(timeout.id) passed\(fired), but its body then"
        + " ended with \(outcome), not a cancellation, so the error went on as itself (TO4)",
      lines: passedThrough(path.filter { $0.id != timeout.id }, from: origin))
  }

  // MARK: - Helpers

  /// `it went through B#1 and A#1: each exit ran and let it go on (W2)`, for the scopes the
  /// error left after the one where it began.
  private func passedThrough(_ path: [TraceFacts.Scope], from origin: Origin) -> [String] {
    var ids = path.map(\.id)
    switch origin {
    case .enterFailed(let scope), .converted(let scope), .raised(let scope):
      ids.removeAll { $0 == scope.id }
    case .thrown, .outside: break
    }
    return ids.isEmpty ? [] : [throughLine(ids)]
  }

  private func throughLine(_ ids: [String]) -> String {
    let each = ids.count == 1 ? "its exit ran" : "each exit ran"
    return "then it went through \(list(ids)): \(each) and let it go on (W2)"
  }

  private func isGroupTask(_ scope: TraceFacts.Scope) -> Bool {
    scope.isTask && parent(scope)?.isGroup == true
  }

  private func parent(_ scope: TraceFacts.Scope) -> TraceFacts.Scope? {
    facts.scope(id: scope.parent)
  }

  /// An expired timeout that let an error other than a cancellation go on (TO4).
  private func isExpiredPassingOwnError(_ scope: TraceFacts.Scope) -> Bool {
    guard scope.isTimeout, scope.exit?.expired == true, let error = scope.exit?.error else {
      return false
    }
    return error != "CancellationError" && scope.done?.step == nil
  }

  /// What a timeout's body was doing when its deadline passed, as the trace shows it:
  /// `while its body slept`, `while its body was busy`, ...
  func activity(in timeout: TraceFacts.Scope, at fired: Duration) -> String {
    let inside = facts.subtree(of: timeout.id)
    // An exit that began before the deadline's line and ended after it; by time when the
    // deadline has no line (it passed at enter), by the trace's order when it has (on a
    // test clock an exit the deadline caused begins at the very same time).
    let firedLine = timeout.fired.first == fired ? timeout.firedLines.first : nil
    if let exiting = inside.first(where: { scope in
      guard let exit = scope.exit else { return false }
      guard let firedLine else { return exit.time <= fired && (scope.done?.time ?? .zero) > fired }
      return exit.line < firedLine && (scope.done?.line ?? 0) > firedLine
    }) {
      return "while the exit of \(exiting.id) was running"
    }
    if let lag = reactionTime(of: timeout.id, after: fired), lag >= Self.busyThreshold {
      return "while its body was busy"
    }
    let running = facts.childProcesses(within: timeout.id).filter { child in
      child.started <= fired && (child.ended ?? .zero) > fired
    }
    if let child = running.first {
      return "while its child pid \(child.pid) (\(child.command)) was running"
    }
    let tasks = inside.filter { scope in
      scope.isTask && scope.entered <= fired && (scope.exit?.time ?? .zero) > fired
    }
    if !tasks.isEmpty {
      return "while \(list(tasks.map(\.id))) \(tasks.count == 1 ? "was" : "were") running"
    }
    return "while its body slept"
  }

  /// How long after `moment` the first exit inside `id` (or its own) began: how soon the
  /// cancellation reached code that checks for it.
  func reactionTime(of id: String, after moment: Duration) -> Duration? {
    facts.subtree(of: id).compactMap(\.exit?.time).filter { $0 >= moment }.min().map {
      $0 - moment
    }
  }
}
