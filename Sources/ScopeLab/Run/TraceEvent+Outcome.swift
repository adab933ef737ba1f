import AsyncScope

extension Array where Element == TraceEvent {
  /// How the run these events are the trace of ended: its `result` line's outcome (`ok`,
  /// an error name, `KeyboardInterrupt`, a stop signal); `nil` without one.
  var outcome: String? {
    for event in reversed() {
      if case .result(let outcome, _, _, _) = event.kind { return outcome }
    }
    return nil
  }
}
