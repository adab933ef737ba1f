import AsyncScope

/// Ctrl-C during a run: the first press cancels the run, a second one during a process
/// teardown skips the rest of the grace period (REPL1), a third quits at once - the
/// way out of a body that never reaches a suspension point. A press outside a run is
/// ignored here (at the prompt the line reader clears the line).
public final class RunController: Sendable {
  private let state = Locked(State())
  private let forceQuit: (@Sendable () -> Void)?

  private struct State {
    var cancel: (@Sendable () -> Void)?
    var presses = 0
  }

  /// - Parameter forceQuit: what a third Ctrl-C during one run does (the app kills every
  ///   child and exits); nothing if `nil`.
  public init(forceQuit: (@Sendable () -> Void)? = nil) {
    self.forceQuit = forceQuit
  }

  /// Whether Ctrl-C was pressed during the current run.
  public var wasInterrupted: Bool { state.withLock { $0.presses > 0 } }

  /// Handles one Ctrl-C: cancels the run, escalates a teardown already under way, or
  /// (the third time) quits.
  public func interrupt() {
    let (cancel, presses) = state.withLock { state -> ((@Sendable () -> Void)?, Int) in
      guard state.cancel != nil else { return (nil, 0) }
      state.presses += 1
      return (state.cancel, state.presses)
    }
    switch presses {
    case 0: break
    case 1: cancel?()
    case 2: ProcessScope.escalateTeardowns()
    default: forceQuit?()
    }
  }

  /// SIGTERM or SIGHUP: cancel the run so every exit runs, as for a first Ctrl-C.
  public func terminate() {
    let cancel = state.withLock { state in
      state.presses = max(state.presses, 1)
      return state.cancel
    }
    cancel?()
  }

  func begin(cancel: @escaping @Sendable () -> Void) {
    state.withLock { $0 = State(cancel: cancel, presses: 0) }
  }

  func end() {
    state.withLock { $0.cancel = nil }
  }
}
