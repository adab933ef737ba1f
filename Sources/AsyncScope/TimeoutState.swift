/// What a ``Timeout`` knows while it runs, behind its lock.
///
/// Not generic: instants are kept as offsets from the timeout's origin instant, so
/// locking it costs no type-metadata lookups in unspecialized generic code.
struct TimeoutState: Sendable {
  var phase = TimeoutPhase.created
  /// Offsets from the timeout's origin instant.
  var enteredAt: Duration?
  var deadline: Duration?
  var fired = false
  /// When the deadline fired (an offset from the origin): what `TimeoutError` reports,
  /// however long the cleanup after it took.
  var firedAt: Duration?
  var rescheduled = false
  /// Cancels the body's task; set while the body runs.
  var cancelBody: (@Sendable () -> Void)?
  var timer: ArmedTimer?
  var trace = TraceReporter(frame: nil)
  /// The timeout that enclosed this one as it was entered (TO5).
  var outer: (any StackedTimeout)?
  /// Why exit let an expired deadline's cancellation go on, for the trace.
  var passReason: TraceEvent.PassReason?

  /// The deadline has come: marks it fired and cancels the body, once, while active.
  /// Returns whether it fired now.
  mutating func fire(at now: Duration) -> Bool {
    guard phase == .active, !fired else { return false }
    fired = true
    firedAt = now
    phase = .expiring
    trace.emit(.fired)
    cancelBody?()
    return true
  }
}
