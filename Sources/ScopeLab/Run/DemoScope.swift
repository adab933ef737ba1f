public import AsyncScope

/// A scope that only traces, with options that make it misbehave on purpose.
///
/// `scope A(suppress)`, `scope A(fail-enter)`, `scope A(throw-exit)` in scope programs;
/// lessons and tests use it to show every rule of the protocol.
public final class DemoScope<C: Clock>: AsyncScope, TraceNamed where C.Duration == Duration {
  public struct Options: Sendable, Equatable {
    /// Exit asks to suppress the error it receives.
    public var suppress = false
    /// Enter throws `EnterError`.
    public var failEnter = false
    /// Exit throws `ExitError`.
    public var throwExit = false
    /// Enter sleeps this long first (cancellable: a slow enter can be interrupted).
    public var slowEnter: Duration?
    /// Exit sleeps this long first (uncancellable: cleanup always finishes, W5).
    public var slowExit: Duration?

    public init(
      suppress: Bool = false,
      failEnter: Bool = false,
      throwExit: Bool = false,
      slowEnter: Duration? = nil,
      slowExit: Duration? = nil
    ) {
      self.suppress = suppress
      self.failEnter = failEnter
      self.throwExit = throwExit
      self.slowEnter = slowEnter
      self.slowExit = slowExit
    }
  }

  public let traceName: String
  public let options: Options
  private let clock: C
  private let use = SingleUse()
  private let seen = Locked<[String?]>([])

  public init(_ name: String, options: Options = Options(), clock: C) {
    self.traceName = name
    self.options = options
    self.clock = clock
  }

  /// The names of the errors each exit received (nil for none), for tests.
  public var exitsSeen: [String?] { seen.withLock { $0 } }

  public func enter() async throws {
    try use.claim(traceName)
    if let delay = options.slowEnter { try await clock.sleep(for: delay) }
    if options.failEnter { throw NamedError("EnterError") }
  }

  public func exit(_ context: ExitContext<Void>) async throws -> ExitDecision {
    seen.withLock { $0.append(context.error.map(errorName)) }
    if let delay = options.slowExit {
      let clock = clock
      try await withUncancelledTask { try await clock.sleep(for: delay) }
    }
    if options.throwExit { throw NamedError("ExitError") }
    return options.suppress ? .suppress : .propagate
  }
}

extension DemoScope where C == ContinuousClock {
  public convenience init(_ name: String, options: Options = Options()) {
    self.init(name, options: options, clock: ContinuousClock())
  }
}
