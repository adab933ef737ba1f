import Synchronization

/// A clock that stands still until a test moves it, and tells the test who sleeps on it.
///
/// Given to what runs programs (a session, the run command), it drives the same code as
/// the continuous clock does in production: a timeout's deadline fires when the clock is
/// moved past it, a `sleep` ends then, and the trace's times are the clock's. A test waits
/// until the run sleeps where it expects (``sleeping(_:)``: no real time is read) and
/// then moves the clock (``advance(by:)``), one deadline at a time for exact times.
public final class ManualClock: Clock, Sendable {
  public struct Instant: InstantProtocol {
    /// The time since the clock was made.
    public var offset: Duration

    public init(offset: Duration = .zero) {
      self.offset = offset
    }

    public func advanced(by duration: Duration) -> Instant {
      Instant(offset: offset + duration)
    }

    public func duration(to other: Instant) -> Duration {
      other.offset - offset
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
      lhs.offset < rhs.offset
    }
  }

  private struct Sleeper {
    let id: UInt64
    let deadline: Instant
    let continuation: CheckedContinuation<Void, any Error>
  }

  private struct Waiter {
    let id: UInt64
    let count: Int
    let continuation: CheckedContinuation<Void, Never>
  }

  private struct State {
    var now = Instant()
    var nextID: UInt64 = 0
    var sleepers: [Sleeper] = []
    /// Sleeps and waits cancelled before they were registered.
    var cancelled: Set<UInt64> = []
    var waiters: [Waiter] = []

    /// Takes the waiters that `sleepers.count` now satisfies.
    mutating func satisfiedWaiters() -> [Waiter] {
      let count = sleepers.count
      let satisfied = waiters.filter { $0.count <= count }
      waiters.removeAll { $0.count <= count }
      return satisfied
    }
  }

  private let state = Mutex(State())

  public init() {}

  public var now: Instant { state.withLock { $0.now } }
  public var minimumResolution: Duration { .zero }

  /// How many sleeps are waiting for the clock to move.
  public var pendingSleeps: Int { state.withLock { $0.sleepers.count } }

  /// The deadlines of the sleeps waiting, earliest first, as offsets from the start.
  public var pendingDeadlines: [Duration] {
    state.withLock { $0.sleepers.map(\.deadline.offset).sorted() }
  }

  public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
    try Task.checkCancellation()
    let id = state.withLock { state in
      state.nextID += 1
      return state.nextID
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation {
        (continuation: CheckedContinuation<Void, any Error>) in
        enum Start {
          case sleep([Waiter])
          case now, cancelled
        }
        let start = state.withLock { state -> Start in
          if state.cancelled.remove(id) != nil { return .cancelled }
          if deadline <= state.now { return .now }
          state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
          return .sleep(state.satisfiedWaiters())
        }
        switch start {
        case .sleep(let waiters): for waiter in waiters { waiter.continuation.resume() }
        case .now: continuation.resume()
        case .cancelled: continuation.resume(throwing: CancellationError())
        }
      }
    } onCancel: {
      let sleeper = state.withLock { state -> Sleeper? in
        guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
          state.cancelled.insert(id)
          return nil
        }
        return state.sleepers.remove(at: index)
      }
      sleeper?.continuation.resume(throwing: CancellationError())
    }
  }

  /// Returns once at least `count` sleeps wait on the clock (at once if they do already),
  /// or once the waiting task is cancelled: a driver whose run ended without sleeping on
  /// the clock is cancelled, and the test fails on what the run did instead of hanging.
  public func sleeping(_ count: Int) async {
    let id = state.withLock { state in
      state.nextID += 1
      return state.nextID
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let ready = state.withLock { state -> Bool in
          guard state.sleepers.count < count, !state.cancelled.contains(id) else { return true }
          state.waiters.append(Waiter(id: id, count: count, continuation: continuation))
          return false
        }
        if ready { continuation.resume() }
      }
    } onCancel: {
      let waiter = state.withLock { state -> Waiter? in
        guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
          state.cancelled.insert(id)
          return nil
        }
        return state.waiters.remove(at: index)
      }
      waiter?.continuation.resume()
    }
  }

  /// Moves the clock by `duration` and ends the sleeps due by then, earliest first.
  public func advance(by duration: Duration) {
    advance(to: now.advanced(by: duration))
  }

  /// Moves the clock to `instant` (never back) and ends the sleeps due by then, earliest
  /// first.
  public func advance(to instant: Instant) {
    let due = state.withLock { state -> [Sleeper] in
      state.now = max(state.now, instant)
      let now = state.now
      let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
      state.sleepers.removeAll { $0.deadline <= now }
      return due
    }
    for sleeper in due { sleeper.continuation.resume() }
  }
}

extension ManualClock {
  /// Moves the clock to the earliest deadline whenever something sleeps on it, until the
  /// returned task is cancelled: time that passes as soon as a run waits for it. For tests
  /// of what runs show rather than when (a screen's layout), whose programs would
  /// otherwise sleep in real time.
  ///
  /// Before each move the run goes on for `settling` (real time) after the first sleep
  /// began, so that the sleeps a step begins together (a timeout's timer and its body's
  /// sleep) are almost always all waiting and the earliest ends first. Not exact: a test
  /// of times or of which deadline comes first moves the clock itself (``sleeping(_:)``,
  /// ``advance(by:)``).
  public func advancing(settling: Duration = .milliseconds(1)) -> Task<Void, Never> {
    Task {
      while !Task.isCancelled {
        await sleeping(1)
        try? await Task.sleep(for: settling)
        if let next = pendingDeadlines.first { advance(to: Instant(offset: next)) }
      }
    }
  }
}
