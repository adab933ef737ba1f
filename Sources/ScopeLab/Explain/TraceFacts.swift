import AsyncScope

/// A run's trace arranged by scope and by child process: what the audit and `why` read.
///
/// Built from the events alone, in their order, so it works on any trace: a live run's, a
/// recorded one, or one built by hand.
struct TraceFacts {
  /// An `exit` line: what exit received.
  struct ExitStart {
    let time: Duration
    /// Its place in the trace (the events' index): what came first when times are equal.
    var line = 0
    let error: String?
    let expired: Bool?
  }

  /// An `exit-done` line: what left the scope, and the step that decided it.
  struct ExitEnd {
    let time: Duration
    /// Its place in the trace (the events' index).
    var line = 0
    let error: String?
    let step: TraceEvent.ExitStep?
  }

  /// Everything the trace says about one scope (a task included).
  struct Scope {
    let id: String
    let name: String
    let depth: Int
    let entered: Duration
    /// The scope it was entered in: the innermost open scope one level up.
    let parent: String?
    var enterFailed: String?
    var exits: [ExitStart] = []
    var exitsDone: [ExitEnd] = []
    var fired: [Duration] = []
    /// The places of the `fired` lines in the trace, as ``fired`` has their times.
    var firedLines: [Int] = []
    var reschedules: [Duration?] = []
    var suppressed: [String] = []

    var exit: ExitStart? { exits.first }
    var done: ExitEnd? { exitsDone.first }
    var isTimeout: Bool { name == "timeout" }
    var isGroup: Bool { name == "group" }
    var isTask: Bool { name == "task" }
    var isProcess: Bool { name == "process" }
    /// When it was gone: its exit's end, or its failed enter.
    var ended: Duration? { done?.time ?? (enterFailed != nil ? entered : nil) }
  }

  /// A child process: `started` to `reaped`.
  struct Child {
    let pid: Int32
    let command: String
    let scope: String?
    let started: Duration
    var signals: [(time: Duration, signal: String)] = []
    var status: String?
    /// When its status came: when it ended.
    var ended: Duration?
    var reapedCount = 0
  }

  /// An `interrupt` line: Ctrl-C or a stop signal.
  struct Interrupt {
    let time: Duration
    let signal: String
    let count: Int
    /// It cut a process teardown's grace period short.
    let escalates: Bool
  }

  /// The last line: the outcome.
  struct Result {
    let outcome: String
    let value: String?
    let context: String?
    let detail: String?
  }

  private(set) var scopes: [Scope] = []
  private var index: [String: Int] = [:]
  private(set) var children: [Child] = []
  private(set) var interrupts: [Interrupt] = []
  /// Every flag change, in order: the scope's id, the flag's name, its new value.
  private(set) var flags: [(scope: String, name: String, value: Bool)] = []
  private(set) var result: Result?
  /// Ids that have an `exit` or `exit-done` line but never entered.
  private(set) var exitedWithoutEnter: [String] = []

  init(_ events: [TraceEvent]) {
    var open: [String] = []
    for (line, event) in events.enumerated() {
      let id = event.scope?.id
      switch event.kind {
      case .enter:
        guard let identity = event.scope else { continue }
        let parent = open.last { scope(id: $0)?.depth == identity.depth - 1 }
        index[identity.id] = scopes.count
        scopes.append(
          Scope(
            id: identity.id, name: identity.name, depth: identity.depth, entered: event.time,
            parent: parent))
        open.append(identity.id)
      case .enterFailed(let error):
        update(id) { $0.enterFailed = error }
        open.removeAll { $0 == id }
      case .exit(let error, let expired):
        record(
          id, exit: ExitStart(time: event.time, line: line, error: error, expired: expired))
      case .exitDone(let error, let step):
        record(id, done: ExitEnd(time: event.time, line: line, error: error, step: step))
        open.removeAll { $0 == id }
      case .suppressed(let error):
        update(id) { $0.suppressed.append(error) }
      case .fired:
        update(id) { scope in
          scope.fired.append(event.time)
          scope.firedLines.append(line)
        }
      case .reschedule(let deadline):
        update(id) { $0.reschedules.append(deadline) }
      case .interrupt(let signal, let count, let escalates):
        interrupts.append(
          Interrupt(time: event.time, signal: signal, count: count, escalates: escalates))
      case .flag(let name, let value):
        flags.append((id ?? "?", name, value))
      case .started(let pid, let command):
        children.append(Child(pid: pid, command: command, scope: id, started: event.time))
      case .signal(let pid, let signal, _):
        updateChild(pid) { $0.signals.append((event.time, signal)) }
      case .status(let pid, let status):
        updateChild(pid) { child in
          child.status = status
          child.ended = event.time
        }
      case .reaped(let pid):
        updateChild(pid) { $0.reapedCount += 1 }
      case .result(let outcome, let value, let context, let detail):
        result = Result(outcome: outcome, value: value, context: context, detail: detail)
      case .output, .print:
        break
      }
    }
  }

  // MARK: - Looking up

  func scope(id: String?) -> Scope? {
    id.flatMap { index[$0] }.map { scopes[$0] }
  }

  /// The scopes entered directly inside `id`, in the order they entered.
  func children(of id: String) -> [Scope] {
    scopes.filter { $0.parent == id }
  }

  /// `id` and every scope entered inside it, at any depth.
  func subtree(of id: String) -> [Scope] {
    guard let root = scope(id: id) else { return [] }
    return [root] + children(of: id).flatMap { subtree(of: $0.id) }
  }

  /// The scopes around `id`, innermost first.
  func ancestors(of id: String) -> [Scope] {
    var result: [Scope] = []
    var current = scope(id: id)?.parent
    while let parentID = current, let parent = scope(id: parentID) {
      result.append(parent)
      current = parent.parent
    }
    return result
  }

  /// The child processes started inside `id` or a scope within it.
  func childProcesses(within id: String) -> [Child] {
    let ids = Set(subtree(of: id).map(\.id))
    return children.filter { $0.scope.map(ids.contains) ?? false }
  }

  /// The scopes that entered and did not fail to: those that owe an exit (W2).
  var entered: [Scope] { scopes.filter { $0.enterFailed == nil } }

  // MARK: - Building

  private mutating func update(_ id: String?, _ change: (inout Scope) -> Void) {
    guard let id, let position = index[id] else { return }
    change(&scopes[position])
  }

  private mutating func record(_ id: String?, exit: ExitStart? = nil, done: ExitEnd? = nil) {
    guard let id else { return }
    guard index[id] != nil else {
      if !exitedWithoutEnter.contains(id) { exitedWithoutEnter.append(id) }
      return
    }
    update(id) { scope in
      if let exit { scope.exits.append(exit) }
      if let done { scope.exitsDone.append(done) }
    }
  }

  private mutating func updateChild(_ pid: Int32, _ change: (inout Child) -> Void) {
    guard let position = children.lastIndex(where: { $0.pid == pid }) else { return }
    change(&children[position])
  }
}
