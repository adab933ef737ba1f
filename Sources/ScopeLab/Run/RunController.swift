import AsyncScope

/// Ctrl-C during a run: the first press cancels the run, a second one during a process
/// teardown skips the rest of the grace period (REPL1) and otherwise does nothing more,
/// a third quits at once - the way out of a body that never checks for cancellation. A press outside a run is
/// ignored here (at the prompt the line reader clears the line).
///
/// Every press, and a stop signal (SIGTERM, SIGHUP), is told to the run's trace as an
/// `interrupt` event before it acts, so the trace shows where it arrived (and whether a
/// second press cut a teardown short).
public final class RunController: Sendable {
  /// Tells a run's trace of an interrupt: the signal's name, how many have arrived in the
  /// run, and whether it cuts a process teardown's grace period short.
  public typealias Announce =
    @Sendable (_ signal: String, _ count: Int, _ escalates: Bool) ->
    Void

  private let state = Locked(State())
  private let forceQuit: (@Sendable () -> Void)?

  private struct State {
    var cancel: (@Sendable () -> Void)?
    var announce: Announce?
    var presses = 0
    /// Presses a replay made (`% interrupt`), not the person at the keyboard.
    var scripted = 0
    var arrivals = 0
    /// The stop signal that ended the run, when one did: `SIGTERM`, `SIGHUP`, `SIGPIPE`.
    var stopSignal: String?
  }

  /// - Parameter forceQuit: what a third Ctrl-C during one run does (the app kills every
  ///   child and exits); nothing if `nil`.
  public init(forceQuit: (@Sendable () -> Void)? = nil) {
    self.forceQuit = forceQuit
  }

  /// Whether Ctrl-C or a stop signal interrupted the current run.
  public var wasInterrupted: Bool { state.withLock { $0.presses > 0 } }

  /// Whether the person (or a stop signal) interrupted the current run, not only a replay
  /// pressing Ctrl-C where its transcript recorded one.
  public var wasInterruptedFromOutside: Bool {
    state.withLock { $0.presses > $0.scripted }
  }

  /// Whether a run is under way (a Ctrl-C now cancels it).
  public var isRunning: Bool { state.withLock { $0.cancel != nil } }

  /// The stop signal that ended the current run, if any (`SIGTERM`, `SIGHUP`).
  public var stopSignal: String? { state.withLock { $0.stopSignal } }

  /// Handles one Ctrl-C: cancels the run, escalates a teardown already under way, or
  /// (the third time) quits. `scripted`: a replay presses it, where its transcript did.
  public func interrupt(scripted: Bool = false) {
    let (cancel, presses, announce, arrivals) = state.withLock { state in
      guard state.cancel != nil else {
        return (nil as (@Sendable () -> Void)?, 0, nil as Announce?, 0)
      }
      state.presses += 1
      if scripted { state.scripted += 1 }
      state.arrivals += 1
      return (state.cancel, state.presses, state.announce, state.arrivals)
    }
    guard presses > 0 else { return }
    // Said before it acts, so the line comes before the SIGKILL it causes.
    let escalates = presses == 2 && ProcessScope.teardownsInGracePeriod > 0
    announce?("SIGINT", arrivals, escalates)
    switch presses {
    case 1: cancel?()
    case 2: if escalates { ProcessScope.escalateTeardowns() }
    default: forceQuit?()
    }
  }

  /// SIGTERM or SIGHUP (or a closed output pipe, `SIGPIPE`): cancel the run so every exit
  /// runs, as for a first Ctrl-C; the run's outcome is then the signal's name.
  public func terminate(signal: String = "SIGTERM") {
    let (cancel, announce, arrivals) = state.withLock { state in
      state.presses = max(state.presses, 1)
      state.stopSignal = state.stopSignal ?? signal
      guard state.cancel != nil else {
        return (nil as (@Sendable () -> Void)?, nil as Announce?, 0)
      }
      state.arrivals += 1
      return (state.cancel, state.announce, state.arrivals)
    }
    announce?(signal, arrivals, false)
    cancel?()
  }

  /// Starts a run: `cancel` cancels it; `announce` tells its trace of each interrupt.
  func begin(
    cancel: @escaping @Sendable () -> Void,
    announce: Announce? = nil
  ) {
    state.withLock { $0 = State(cancel: cancel, announce: announce) }
  }

  /// Goes on with the same run after its cancellation: `cancel` is what a press now
  /// cancels, and the presses already counted still count (the next one is a second, and
  /// cuts a teardown's grace short). `compare` waits for Python so after its own run.
  func resume(cancel: @escaping @Sendable () -> Void) {
    state.withLock { state in
      state.cancel = cancel
      // The run's trace has ended: nothing more is told to it.
      state.announce = nil
    }
  }

  func end() {
    state.withLock { $0.cancel = nil }
  }
}
