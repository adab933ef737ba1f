import Synchronization

/// The item a ``Runner`` marks as running.
public final class RunnerItem: Sendable {
  private let flag = Atomic<Bool>(false)

  public init() {}

  /// `true` between the runner's enter and exit.
  public var running: Bool { flag.load(ordering: .relaxed) }

  func set(_ value: Bool) {
    flag.store(value, ordering: .relaxed)
    Trace.emit(.flag(name: "running", value: value))
  }
}

/// The runner flag: `item.running = true` on enter, `false` on exit, on every path.
///
/// Its enter and exit never suspend, so it is also a ``SyncScope``: the plain `with`
/// form of the first lesson.
public final class Runner: AsyncScope, SyncScope, TraceNamed {
  public let traceName = "runner"
  public let item: RunnerItem
  private let use = SingleUse()

  public init(item: RunnerItem = RunnerItem()) {
    self.item = item
  }

  public func enterNow() throws {
    try use.claim("runner")
    item.set(true)
  }

  public func exitNow(_ error: (any Error)?) throws -> ExitDecision {
    item.set(false)
    return .propagate
  }

  public func enter() async throws { try enterNow() }

  public func exit(_ context: ExitContext<Void>) async throws -> ExitDecision {
    try exitNow(context.error)
  }
}
