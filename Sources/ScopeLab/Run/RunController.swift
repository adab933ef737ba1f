import AsyncScope

/// Ctrl-C during a run: the first press cancels the run, a second one during a process
/// teardown skips the rest of the grace period (REPL1).
public final class RunController: Sendable {
  private let state = Locked(State())

  private struct State {
    var cancel: (@Sendable () -> Void)?
    var presses = 0
  }

  public init() {}

  /// Whether Ctrl-C was pressed during the current run.
  public var wasInterrupted: Bool { state.withLock { $0.presses > 0 } }

  /// Handles one Ctrl-C: cancels the run, or escalates a teardown already under way.
  public func interrupt() {
    let (cancel, presses) = state.withLock { state in
      state.presses += 1
      return (state.cancel, state.presses)
    }
    if presses == 1 {
      cancel?()
    } else {
      ProcessScope.escalateTeardowns()
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
