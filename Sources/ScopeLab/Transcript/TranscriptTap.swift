import AsyncScope

/// Where a session's output is tapped for a transcript: the recorder of the transcript
/// being recorded (none most of the time), the session's streams with and without the
/// tap, and how to ask before a file is overwritten.
public final class TranscriptTap: Sendable {
  /// Asks a yes-or-no question and waits for the answer; `false` unless it is yes.
  public typealias Confirmation = @Sendable (_ question: String) async -> Bool

  private let current = Locked<TranscriptRecorder?>(nil)
  private let failed = Locked(false)
  private let asking = Locked<Confirmation?>(nil)

  /// The streams as the session was given them: for what the transcript must not hold
  /// (`recording to FILE`).
  public let plainOutput: any TextOutput
  public let plainErrors: any TextOutput

  public init(output: any TextOutput, errors: any TextOutput) {
    plainOutput = output
    plainErrors = errors
  }

  /// The output stream, tapped.
  public var output: RecordingOutput { RecordingOutput(plainOutput, tap: self) }
  /// The error stream, tapped.
  public var errors: RecordingOutput { RecordingOutput(plainErrors, tap: self) }

  /// The transcript being recorded, if any.
  public var recorder: TranscriptRecorder? { current.withLock { $0 } }

  /// Starts tapping into `recorder`; the one recorded until now, if any, is returned
  /// (not finished).
  @discardableResult
  public func attach(_ recorder: TranscriptRecorder) -> TranscriptRecorder? {
    current.withLock { current in
      defer { current = recorder }
      return current
    }
  }

  /// Stops tapping; returns the recorder that was tapped into, not finished.
  @discardableResult
  public func detach() -> TranscriptRecorder? {
    current.withLock { current in
      defer { current = nil }
      return current
    }
  }

  /// Whether a transcript recorded in this session failed to write (a full disk): the
  /// REPL then exits non-zero, so a script that recorded from a pipe learns of it.
  public var recordingFailed: Bool {
    get { failed.withLock { $0 } }
    set { failed.withLock { $0 = newValue } }
  }

  /// How to ask before overwriting a file: at a terminal, a question on the line reader;
  /// `nil` (the default, and in a pipe) refuses instead of asking.
  public var confirmation: Confirmation? {
    get { asking.withLock { $0 } }
    set { asking.withLock { $0 = newValue } }
  }
}
