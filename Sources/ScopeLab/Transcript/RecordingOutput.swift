/// An output stream that also hands everything written to it to the transcript being
/// recorded, if one is: a switchable tee.
///
/// A session's `output` and `errors` are both one of these over the same
/// ``TranscriptTap``, so the transcript gets the two streams interleaved in the order
/// they were written. The transcript gets the text first, so that whatever has been
/// shown is in the file already.
public struct RecordingOutput: TextOutput {
  /// The stream written to: the terminal, a pipe, memory in tests.
  public let base: any TextOutput
  public let tap: TranscriptTap

  public init(_ base: any TextOutput, tap: TranscriptTap) {
    self.base = base
    self.tap = tap
  }

  public func write(_ text: String) {
    tap.recorder?.output(text)
    base.write(text)
  }
}
