/// One thing that happened during a run, in the vocabulary of DESIGN.md's trace table.
public struct TraceEvent: Sendable, Equatable {
  /// Time since the run started, on the run's clock.
  public var time: Duration
  /// The scope the event belongs to, if any.
  public var scope: ScopeIdentity?
  /// Nesting depth: the scope's own depth for scope events, the body's for the others.
  public var depth: Int
  /// What happened.
  public var kind: Kind
  /// The task it happened in: 1 for the run's main task, then 2, 3, ... for a task group's
  /// tasks in the order they were added (a `task` scope's own events are its task's) and
  /// for any other task in the order of its first event; nil
  /// when the producer did not say (a trace written before tasks were numbered).
  public var task: Int?

  public init(time: Duration, scope: ScopeIdentity?, depth: Int, kind: Kind, task: Int? = nil) {
    self.time = time
    self.scope = scope
    self.depth = depth
    self.kind = kind
    self.task = task
  }

  /// What happened, with what the trace shows of it; errors are given by name.
  public enum Kind: Sendable, Equatable {
    /// A scope's enter began.
    case enter
    /// A scope's enter threw this error: no body, no exit (W1).
    case enterFailed(error: String)
    /// `error` is what exit received (nil for none); `expired` only for timeouts.
    case exit(error: String?, expired: Bool?)
    /// Exit returned. `error` is what leaves the scope (nil when nothing does, or it was
    /// suppressed); `step` says what exit decided, when it decided something.
    case exitDone(error: String?, step: ExitStep?)
    /// Exit suppressed this error; the code after the scope runs (W3).
    case suppressed(error: String)
    /// A timeout's deadline came, and it cancelled the body.
    case fired
    /// A timeout's deadline moved: seconds since the run started, or nil for none.
    case reschedule(deadline: Duration?)
    /// Ctrl-C (`SIGINT`) or a stop signal (`SIGTERM`, `SIGHUP`) arrived during the run;
    /// `count` is how many have arrived in this run, this one included; `escalates`: it
    /// cut a process teardown's grace period short (a second Ctrl-C during one, REPL1).
    case interrupt(signal: String, count: Int, escalates: Bool = false)
    /// A flag changed: the runner's `running`.
    case flag(name: String, value: Bool)
    /// A process scope started its child (PR1).
    case started(pid: Int32, command: String)
    /// A line the child wrote, without its newline.
    case output(text: String, stream: OutputStream)
    /// A teardown sent `SIGTERM` or `SIGKILL` to the child's group (PR2); `group` false:
    /// to the one process (Python's `Process.terminate()`, `kill()`, `send_signal()`).
    case signal(pid: Int32, signal: String, group: Bool = true)
    /// How the child ended: `exited(3)`, `signaled(15)` (PR3).
    case status(pid: Int32, status: String)
    /// The child was reaped: no zombie is left.
    case reaped(pid: Int32)
    /// A program's output: a line it printed.
    case print(text: String)
    /// Always the last event: `ok`, an error name or `KeyboardInterrupt`.
    case result(outcome: String, value: String?, context: String?, detail: String?)

    /// The JSONL `event` value.
    public var name: String {
      switch self {
      case .enter: "enter"
      case .enterFailed: "enter-failed"
      case .exit: "exit"
      case .exitDone: "exit-done"
      case .suppressed: "suppressed"
      case .fired: "fired"
      case .reschedule: "reschedule"
      case .interrupt: "interrupt"
      case .flag: "flag"
      case .started: "started"
      case .output: "output"
      case .signal: "signal"
      case .status: "status"
      case .reaped: "reaped"
      case .print: "print"
      case .result: "result"
      }
    }
  }

  /// The decisive step an exit took, told on its `exit-done` line.
  public enum ExitStep: Sendable, Equatable {
    /// AsyncScope's ``Timeout`` turned its own cancellation into `TimeoutError` (TO3).
    case converted
    /// A timeout whose deadline passed let the cancellation go on, and why (TO3, TO5).
    case passedOn(because: PassReason)
    /// Exit asked to suppress a cancellation: refused (W4).
    case suppressRefused
    /// A timeout's deadline passed, but its body finished all the same: the body's result
    /// stands (TO4).
    case bodyFinished
    /// Exit threw its own error, replacing the one it received, if any (W3).
    case raised(replacing: String?)
    /// Exit converted the error it received into another (`ExitDecision.convert(to:)`),
    /// and the scope is not AsyncScope's ``Timeout`` - nothing says the conversion keeps
    /// TO3 (a scope of the learner's own): a replacement that keeps nothing of the old
    /// error (W3).
    case exitConverted(replacing: String)
  }

  /// Why an expired timeout did not convert.
  public enum PassReason: Sendable, Equatable {
    /// The caller is cancelled too (Ctrl-C, an enclosing scope): outside wins (TO3).
    case callerCancelled
    /// An enclosing timeout's deadline passed as well: the outermost converts (TO5).
    case enclosingExpired(id: String?)
  }

  /// Which of a child's output streams a line came from.
  public enum OutputStream: String, Sendable, Equatable {
    case stdout, stderr
  }
}

/// Which scope an event is about: its display name, an id unique in the run, its depth.
public struct ScopeIdentity: Sendable, Hashable {
  /// The scope's name: its ``TraceNamed/traceName`` (`timeout`, `runner`, `A`), or its
  /// type's name.
  public let name: String
  /// `timeout#2`: the name and its ordinal among scopes of that name in this run.
  public let id: String
  /// How many scopes enclose it in the run, from 0.
  public let depth: Int

  public init(name: String, id: String, depth: Int) {
    self.name = name
    self.id = id
    self.depth = depth
  }
}

/// Where trace events go: live text, JSONL, a recorder, a timeline.
///
/// `record` is called from whichever task or thread the event happens on, the moment it
/// happens; implementations must be thread-safe and should write at once.
public protocol TraceSink: Sendable {
  /// Takes one event, the moment it happens, from any thread.
  func record(_ event: TraceEvent)
}

/// A sink that keeps every event in memory, for tests and the timeline.
public final class TraceRecorder: TraceSink {
  private let storage = Locked<[TraceEvent]>([])

  public init() {}

  public func record(_ event: TraceEvent) {
    storage.withLock { $0.append(event) }
  }

  /// Every event recorded so far, in order.
  public var events: [TraceEvent] { storage.withLock { $0 } }
}

/// A sink that drops everything (benchmarks measure tracing cost with it).
public struct DiscardingSink: TraceSink {
  public init() {}
  public func record(_ event: TraceEvent) {}
}

/// Sends every event to several sinks in order.
public struct FanOutSink: TraceSink {
  public let sinks: [any TraceSink]

  public init(_ sinks: [any TraceSink]) {
    self.sinks = sinks
  }

  public func record(_ event: TraceEvent) {
    for sink in sinks { sink.record(event) }
  }
}
