import AsyncScope

/// Where the Python view of a program behaves differently from scopelab's own run of
/// it by design: what a learner moving between Swift and asyncio needs to know.
/// `compare` names these where they explain a difference it found; a test shows each one.
public enum KnownDifference: String, Sendable, CaseIterable {
  /// `busy` blocks asyncio's single-threaded loop, so a deadline cannot fire during it.
  case busyBlocksTheLoop
  /// A task group whose tasks fail raises an `ExceptionGroup` in Python, its first error in Swift.
  case exceptionGroup
  /// A group's exit begins when its body ends in Python (`__aexit__` waits for the
  /// tasks); in Swift after its tasks have ended.
  case exitOrder
  /// A deadline already passed at enter (`timeout 0`) cancels a Swift body at once; asyncio
  /// schedules the cancellation for the next turn of its loop.
  case expiredAtEnter
  /// Events due at the same moment (two deadlines, two tasks waking): asyncio runs them all
  /// in one turn of its loop; in Swift the first can cancel the others first.
  case sameMoment
  /// Swift cancellation is sticky: after a caught cancellation the next check (a sleep)
  /// throws again; asyncio delivers a cancellation once.
  case stickyCancellation
  /// An `__aexit__` that returns True swallows `CancelledError`, and inside
  /// `asyncio.timeout` the timeout with it; scopelab's scopes rethrow a cancellation even
  /// when exit asks to suppress it (W4).
  case suppressedCancellation
  /// A new asyncio task first runs when its creator awaits; a Swift task runs at once, up to
  /// its first await.
  case taskStartsLater

  /// One line for `compare`.
  public var explanation: String {
    switch self {
    case .busyBlocksTheLoop:
      "busy blocks asyncio's event loop, so no deadline fires and no other task runs "
        + "during it; Swift's deadline fires and cancels (cancellation is seen where code "
        + "next checks for it, such as a sleep) while other tasks go on in parallel"
    case .exceptionGroup:
      "a failing asyncio.TaskGroup raises ExceptionGroup (catch it with except*); "
        + "a Swift task group rethrows its first error"
    case .exitOrder:
      "asyncio.TaskGroup's __aexit__ begins when the body ends and then waits for the tasks; "
        + "the Swift group's exit begins after its tasks have ended"
    case .expiredAtEnter:
      "a deadline that has already passed cancels the Swift body at once (fired at enter); "
        + "asyncio schedules the cancellation for its loop's next turn, so it fires only at "
        + "the body's first await"
    case .sameMoment:
      "asyncio runs everything due at the same moment in one turn of its loop, before any "
        + "of it can cancel the rest (both deadlines fire, both tasks raise); in Swift the "
        + "first can cancel the others (one deadline fires, the other task is cancelled)"
    case .stickyCancellation:
      "Swift cancellation is sticky: a body that catches it is still cancelled, so the next "
        + "check (a sleep) throws again; asyncio delivers CancelledError once, and a body "
        + "that catches it goes on"
    case .suppressedCancellation:
      "an __aexit__ that returns True swallows CancelledError, and inside asyncio.timeout "
        + "the timeout goes with it: no TimeoutError, the code after runs (CPython 3.11-3.13); "
        + "a Swift scope cannot undo a cancellation, so scopelab rethrows it even when exit "
        + "asks to suppress (W4)"
    case .taskStartsLater:
      "an asyncio task first runs when the task that created it awaits; "
        + "a Swift task runs at once, up to its first await, before its creator goes on"
    }
  }

  /// A short program that shows it (``sameMoment`` only most of the time: in Swift it is
  /// a race).
  public var example: String {
    switch self {
    case .busyBlocksTheLoop: "timeout 0.05 { busy 0.15 }"
    case .exceptionGroup: "group { task { throw KeyError } }"
    case .exitOrder: "group { task { sleep 0.05 } }"
    case .expiredAtEnter: "timeout 0 { print body }"
    case .sameMoment:
      "group { task { sleep 0.05; throw KeyError }; task { sleep 0.05; throw ValueError } }"
    case .stickyCancellation: "timeout 0.05 { try { sleep 1 } catch { sleep 0.05; print on } }"
    case .suppressedCancellation: "timeout 0.05 { scope A(suppress) { sleep 1 }; print after }"
    case .taskStartsLater: "group { task { print task }; print body }"
    }
  }
}

extension KnownDifference {
  /// The differences that may apply to `program`, by simple rules on its statements (and
  /// on Python's outcome): `busy` with a timeout or a group, any group, a task followed by
  /// a statement that runs before the next await, ... Whether one explains a difference a
  /// run shows is for ``explaining(scopelab:python:program:parameters:)`` to say.
  public static func applying(
    to program: Program, parameters: Parameters = .builtIn, python: [CompareRow] = []
  ) -> [KnownDifference] {
    let rules = DifferenceRules(program, parameters: parameters, python: python)
    return allCases.filter(rules.candidates.contains)
  }

  /// The differences that explain part of how `python` differs from `scopelab`: each
  /// one that may apply (``applying(to:parameters:python:)``) and that, once its effect is
  /// taken out of both traces, leaves fewer events unmatched; then, where the traces still
  /// part, one whose signs are there (``DifferenceRules/parts(_:_:_:)``): from that point
  /// the two runs took different paths, and what follows is its consequence. None when the
  /// traces agree.
  ///
  /// - Returns: the differences, and whether they explain all of it (taking their effects
  ///   out leaves the traces alike, or alike up to where one of them made the runs part).
  public static func explaining(
    scopelab: [CompareRow], python: [CompareRow], program: Program,
    parameters: Parameters = .builtIn
  ) -> (differences: [KnownDifference], explainAll: Bool) {
    let rules = DifferenceRules(program, parameters: parameters, python: python)
    func unmatched(_ taken: [KnownDifference]) -> Int {
      TraceComparison.unmatched(
        rules.normalize(scopelab, without: taken).map(\.key),
        rules.normalize(python, without: taken).map(\.key))
    }
    var taken: [KnownDifference] = []
    var left = unmatched([])
    // The precise effects first, the coarse ones (order does not count) last.
    let order: [KnownDifference] = [
      .exitOrder, .exceptionGroup, .expiredAtEnter, .taskStartsLater, .sameMoment,
      .busyBlocksTheLoop,
    ]
    for difference in order where left > 0 && rules.candidates.contains(difference) {
      let fewer = unmatched(taken + [difference])
      if fewer < left {
        taken.append(difference)
        left = fewer
      }
    }
    if left > 0 {
      let ours = rules.normalize(scopelab, without: taken)
      let theirs = rules.normalize(python, without: taken)
      let first = (0..<max(ours.count, theirs.count)).first { index in
        index >= ours.count || index >= theirs.count || ours[index].key != theirs[index].key
      }
      if let first,
        let parting = allCases.first(where: { difference in
          rules.candidates.contains(difference)
            && rules.parts(
              difference, first < ours.count ? ours[first] : nil,
              first < theirs.count ? theirs[first] : nil)
        })
      {
        if !taken.contains(parting) { taken.append(parting) }
        left = 0
      }
    }
    // A cancellation an __aexit__ swallowed: the runs part at Python's `suppressed` row
    // (and scopelab's refusal, the scope's exit-done), even where rows put in order
    // (tasks) keep that row from being the first difference. Alike up to there, it
    // explains all that follows.
    if left > 0, rules.candidates.contains(.suppressedCancellation),
      let swallowed = python.firstIndex(where: { $0.name == "suppressed" && $0.isCancellation }),
      !scopelab.contains(where: { $0.name == "suppressed" && $0.id == python[swallowed].id })
    {
      let id = python[swallowed].id
      let refused =
        scopelab.firstIndex { $0.name == "exit-done" && $0.id == id } ?? scopelab.count
      if !taken.contains(.suppressedCancellation) { taken.append(.suppressedCancellation) }
      left = TraceComparison.unmatched(
        rules.normalize(Array(scopelab[..<refused]), without: taken).map(\.key),
        rules.normalize(Array(python[..<swallowed]), without: taken).map(\.key))
    }
    return (allCases.filter(taken.contains), !taken.isEmpty && left == 0)
  }
}

/// What the rules find in a program: the differences that may apply, and what taking
/// their effects out of a trace needs to know.
struct DifferenceRules {
  var candidates = Set<KnownDifference>()
  /// The errors a group may fail with: what Swift rethrows, Python wraps in ExceptionGroup.
  var groupErrors: Set<String> = ["ExceptionGroup"]
  /// Whether a `busy` runs inside a group, where it changes which task runs when.
  var busyInGroup = false
  /// Whether a timeout is nested in another: their deadlines may pass together.
  var nestedTimeouts = false
  /// Whether a group starts two tasks that first wake at the same moment.
  var concurrentTasks = false

  init(_ program: Program, parameters: Parameters, python: [CompareRow]) {
    let values = parameters.values
    func resolved(_ duration: DurationExpr) -> UserDuration? {
      guard let text = try? duration.word.resolve(parameters: values) else { return nil }
      return try? UserDuration(parsing: text)
    }
    func notPositive(_ duration: DurationExpr) -> Bool {
      guard let duration = resolved(duration)?.duration else { return false }
      return duration <= .zero
    }
    /// When a task's body first does something: after the sleeps it starts with.
    func firstWake(_ body: [Statement]) -> Duration? {
      var total = Duration.zero
      for statement in body {
        guard case .sleep(let duration) = statement.kind else { break }
        guard let value = resolved(duration), let sleep = value.duration else { return nil }
        total += max(sleep, .zero)
      }
      return total
    }
    var hasTimeout = false
    var hasGroup = false
    var hasBusy = false
    func look(_ statements: [Statement], timeouts: Int, groups: Int) {
      // A task before this statement that does something before its first await.
      var taskBefore = false
      for statement in statements {
        if taskBefore, !statement.kind.awaits { candidates.insert(.taskStartsLater) }
        switch statement.kind {
        case .busy:
          hasBusy = true
          if groups > 0 { busyInGroup = true }
        case .throwError(let name):
          if groups > 0 { groupErrors.insert(name.literalText ?? name.description) }
        case .sleep, .wait:
          taskBefore = false
        case .reschedule(let duration):
          if notPositive(duration) { candidates.insert(.expiredAtEnter) }
        case .scope(let scope):
          var (timeouts, groups) = (timeouts, groups)
          for header in scope.headers {
            switch header.kind {
            case .timeout(let duration):
              hasTimeout = true
              if timeouts > 0 { nestedTimeouts = true }
              if notPositive(duration) { candidates.insert(.expiredAtEnter) }
              if groups > 0 { groupErrors.insert("TimeoutError") }
              timeouts += 1
            case .group:
              hasGroup = true
              candidates.insert(.exitOrder)
              groups += 1
              let wakes = Self.tasks(in: scope.body.statements).compactMap {
                firstWake($0.statements)
              }
              if Set(wakes).count < wakes.count { concurrentTasks = true }
            case .process:
              if groups > 0 { groupErrors.formUnion(["FileNotFoundError", "PermissionError"]) }
            case .named(_, let options):
              let suppresses = options.contains {
                if case .suppress = $0.kind { true } else { false }
              }
              if suppresses && (timeouts > 0 || groups > 0) {
                candidates.insert(.suppressedCancellation)
              }
              guard groups > 0 else { break }
              for option in options {
                if case .failEnter = option.kind { groupErrors.insert("EnterError") }
                if case .throwExit = option.kind { groupErrors.insert("ExitError") }
              }
            case .runner:
              break
            }
          }
          look(scope.body.statements, timeouts: timeouts, groups: groups)
        case .task(let body):
          taskBefore = !(body.statements.first?.kind.awaits ?? true)
          // A task's body runs in a task of its own: an enclosing timeout's deadline still
          // cancels it, but it is not nested in the creator's statements after it.
          look(body.statements, timeouts: timeouts, groups: groups)
        case .tryCatch(let tryStatement):
          let catchesCancellation = tryStatement.catches.contains { clause in
            clause.errorName.map { ($0.literalText ?? "") == "CancellationError" } ?? true
          }
          if catchesCancellation && (timeouts > 0 || groups > 0) {
            candidates.insert(.stickyCancellation)
          }
          look(tryStatement.body.statements, timeouts: timeouts, groups: groups)
          for clause in tryStatement.catches {
            look(clause.body.statements, timeouts: timeouts, groups: groups)
          }
        case .print, .returnValue:
          break
        }
      }
    }
    look(program.statements, timeouts: 0, groups: 0)
    if hasBusy && (hasTimeout || hasGroup) { candidates.insert(.busyBlocksTheLoop) }
    if nestedTimeouts || concurrentTasks { candidates.insert(.sameMoment) }
    if groupErrors.count > 1 || python.contains(where: { $0.detail == "ExceptionGroup" }) {
      candidates.insert(.exceptionGroup)
    }
  }

  /// The placeholder for an error of a group, in both traces once ``KnownDifference/exceptionGroup``
  /// is taken out.
  static let groupError = "(an error of the group)"

  /// Whether `difference` shows where the traces part, at their first events that still
  /// differ (`scopelab`, `python`; nil past a trace's end): one run was cancelled there
  /// and the other went on (sticky cancellation; a deadline that fired at another await
  /// because busy blocked the loop; an `__aexit__` that swallowed the cancellation), or an
  /// ExceptionGroup went where a single error did not (past `except KeyError`).
  func parts(_ difference: KnownDifference, _ scopelab: CompareRow?, _ python: CompareRow?)
    -> Bool
  {
    let cancelled = (scopelab?.isCancellation == true, python?.isCancellation == true)
    switch difference {
    case .stickyCancellation: return cancelled.0 && !cancelled.1
    case .busyBlocksTheLoop: return cancelled.0 != cancelled.1
    case .suppressedCancellation:
      return python?.name == "suppressed" && cancelled.1 && scopelab?.name != "suppressed"
    case .exceptionGroup:
      return [Self.groupError, "ExceptionGroup"].contains(python?.detail)
        && scopelab?.comparedDetail != python?.comparedDetail
    default: return false
    }
  }

  /// `rows` with the effects of `differences` taken out, so that traces that differ only
  /// by them become alike.
  func normalize(_ rows: [CompareRow], without differences: [KnownDifference]) -> [CompareRow] {
    let taken = Set(differences)
    var rows = rows
    // A group's exit event is where the two languages put it: leave it out.
    if taken.contains(.exitOrder) {
      rows.removeAll { $0.name == "exit" && $0.id.hasPrefix("group#") }
    }
    // Whether and when a deadline fires.
    if taken.contains(.busyBlocksTheLoop) || taken.contains(.expiredAtEnter) {
      rows.removeAll { $0.name == "fired" }
    }
    // Deadlines that pass together: one or more `fired` in a row, whichever fired.
    if taken.contains(.sameMoment) && nestedTimeouts {
      var kept: [CompareRow] = []
      for row in rows where !(row.name == "fired" && kept.last?.name == "fired") {
        kept.append(row.name == "fired" ? row.with(id: "") : row)
      }
      rows = kept
    }
    // The group's errors, one error or an ExceptionGroup of them: the same to compare.
    if taken.contains(.exceptionGroup) {
      rows = rows.map { row in
        guard let detail = row.comparedDetail, groupErrors.contains(detail), row.name != "print"
        else {
          return row
        }
        return row.with(detail: Self.groupError)
      }
    }
    // Which task fails first and which is cancelled: the loop's doing (a busy task, tasks
    // waking together), then the events count, not their order.
    let tasksRace =
      (taken.contains(.busyBlocksTheLoop) && busyInGroup)
      || (taken.contains(.sameMoment) && concurrentTasks)
    if tasksRace {
      rows = rows.map { $0.id.hasPrefix("task#") ? $0.with(detail: nil) : $0 }
    }
    // When tasks run relative to each other: the events count, not their order.
    if taken.contains(.taskStartsLater) || tasksRace {
      rows.sort { $0.key < $1.key }
    }
    return rows
  }
}

extension DifferenceRules {
  /// The bodies of the tasks `statements` start for their group (not nested groups').
  static func tasks(in statements: [Statement]) -> [Block] {
    statements.flatMap { statement -> [Block] in
      switch statement.kind {
      case .task(let body): [body]
      case .tryCatch(let tryStatement):
        tasks(in: tryStatement.body.statements)
          + tryStatement.catches.flatMap { tasks(in: $0.body.statements) }
      case .scope(let scope)
      where !scope.headers.contains(where: { if case .group = $0.kind { true } else { false } }):
        tasks(in: scope.body.statements)
      default: []
      }
    }
  }
}

extension Statement.Kind {
  /// Whether the statement suspends before it traces anything (a new task can run first).
  fileprivate var awaits: Bool {
    switch self {
    case .sleep, .wait: true
    default: false
    }
  }
}
