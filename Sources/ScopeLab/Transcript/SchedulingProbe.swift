import AsyncScope
import Synchronization

/// Measures how busy the machine is while a check runs: a task on the same cooperative
/// pool sleeps in short steps and records how late it wakes.
///
/// A busy machine (a CI runner, two CPU-bound processes on two cores) wakes every sleeping
/// task late, and so prints every time in a trace late. `replay --check` and `scopelab
/// verify` run a probe while each command runs and move the late edge of that command's
/// timing windows (and a challenge's `time:` windows) by ``widening(forLateness:)``:
///
/// - a worst lateness under ``busyThreshold`` is an idle machine: nothing moves;
/// - otherwise the late edge moves by ``factor`` times the worst lateness (a trace's time
///   can be late more than once: each wake-up on the way to it may be), at most ``cap``;
/// - the early edge never moves: a run that is early is still caught.
public final class SchedulingProbe: Sendable {
  /// How long the probe sleeps between looks at the clock.
  public static let step: Duration = .milliseconds(5)
  /// Lateness below this is what an idle machine shows; it widens nothing.
  public static let busyThreshold: Duration = .milliseconds(20)
  /// How many times the worst lateness the late edge moves by.
  public static let factor = 3
  /// The most a late edge moves, however busy the machine: a run later than that is
  /// wrong, not slow.
  public static let cap: Duration = .seconds(1)

  private let worst = Mutex<Duration>(.zero)
  private let task = Mutex<Task<Void, Never>?>(nil)
  /// A lateness given in place of a measured one (for tests).
  private let fixed: Duration?

  /// A probe that measures; or, with `fixed`, one that reports `fixed` as the lateness
  /// without measuring (a test's busy machine).
  public init(fixed: Duration? = nil) {
    self.fixed = fixed
  }

  /// Starts measuring afresh.
  public func start() {
    guard fixed == nil else { return }
    worst.withLock { $0 = .zero }
    let started = Task.detached { [self] in
      let clock = ContinuousClock()
      while !Task.isCancelled {
        let before = clock.now
        try? await Task.sleep(for: Self.step)
        guard !Task.isCancelled else { break }
        let late = before.duration(to: clock.now) - Self.step
        self.worst.withLock { $0 = max($0, late) }
      }
    }
    task.withLock {
      $0?.cancel()
      $0 = started
    }
  }

  /// The worst lateness since ``start()``.
  public var lateness: Duration {
    fixed ?? worst.withLock { $0 }
  }

  /// How far late edges move for the lateness so far (``widening(forLateness:)``).
  public var widening: Duration { Self.widening(forLateness: lateness) }

  /// Stops measuring; the worst lateness since ``start()``.
  @discardableResult
  public func stop() -> Duration {
    task.withLock {
      $0?.cancel()
      $0 = nil
    }
    return lateness
  }

  /// How far a late edge moves for a worst lateness of `lateness`: nothing below
  /// ``busyThreshold``, else ``factor`` times it, at most ``cap``.
  public static func widening(forLateness lateness: Duration) -> Duration {
    guard lateness >= busyThreshold else { return .zero }
    return min(lateness * factor, cap)
  }

  /// `late edges widened by up to 180 ms`, for a report.
  public static func describe(_ widening: Duration) -> String {
    "the machine was busy: late edges widened by up to \(Int((widening.inSeconds * 1000).rounded())) ms"
  }
}
