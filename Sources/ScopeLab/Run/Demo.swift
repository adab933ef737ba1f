import AsyncScope

/// The statements of a scope program that are not scopes, as functions: what the Swift
/// view of a program calls, and what the interpreter runs.
public enum Demo {
  /// A cancellable sleep that checks cancellation first, so `sleep(.zero)` in a cancelled
  /// task throws; a negative duration returns at once; `nil` sleeps until cancelled.
  public static func sleep<C: Clock>(
    _ duration: Duration?, clock: C = ContinuousClock()
  ) async throws where C.Duration == Duration {
    try Task.checkCancellation()
    guard let duration else {
      while true { try await clock.sleep(for: .seconds(3600)) }
    }
    guard duration > .zero else { return }
    try await clock.sleep(for: duration)
  }

  /// Spins for `duration` (`nil`: ``UserDuration/maximumSeconds``) without ever checking
  /// cancellation. It yields now and then so it does not starve other tasks, but yielding
  /// never throws: a deadline cannot stop it.
  public static func busy(_ duration: Duration?) async {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: duration ?? .seconds(UserDuration.maximumSeconds))
    var spins = 0
    while clock.now < end {
      spins += 1
      if spins % 1000 == 0 { await Task.yield() }
    }
  }
}
