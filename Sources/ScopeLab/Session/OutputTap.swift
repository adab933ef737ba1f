import AsyncScope

/// A session's two streams, and where they are tapped: while a sink is attached (a
/// transcript being recorded), everything written to ``output`` and ``errors`` goes to it
/// too, in the order it was written.
///
/// The session knows nothing of what taps it: recording is this decorator on its streams.
public final class OutputTap: Sendable {
  private let current = Locked<(any TextOutput)?>(nil)

  /// The streams as the session was given them: for what the sink must not get
  /// (`recording to FILE`).
  public let plainOutput: any TextOutput
  public let plainErrors: any TextOutput

  public init(output: any TextOutput, errors: any TextOutput) {
    plainOutput = output
    plainErrors = errors
  }

  /// The output stream, tapped.
  public var output: TappedOutput { TappedOutput(plainOutput, tap: self) }
  /// The error stream, tapped.
  public var errors: TappedOutput { TappedOutput(plainErrors, tap: self) }

  /// What the streams are tapped into now, if anything.
  public var sink: (any TextOutput)? { current.withLock { $0 } }

  /// Starts tapping into `sink`; the one tapped into until now, if any, is returned.
  @discardableResult
  public func attach(_ sink: any TextOutput) -> (any TextOutput)? {
    current.withLock { current in
      defer { current = sink }
      return current
    }
  }

  /// Stops tapping; returns what was tapped into.
  @discardableResult
  public func detach() -> (any TextOutput)? {
    current.withLock { current in
      defer { current = nil }
      return current
    }
  }
}
