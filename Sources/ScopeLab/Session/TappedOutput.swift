/// An output stream that also hands everything written to it to its ``OutputTap``'s sink,
/// if one is attached: a switchable tee.
///
/// A session's `output` and `errors` are both one of these over the same tap, so the sink
/// gets the two streams interleaved in the order they were written. The sink gets the text
/// first, so that whatever has been shown is in a transcript already.
public struct TappedOutput: TextOutput {
  /// The stream written to: the terminal, a pipe, memory in tests.
  public let base: any TextOutput
  public let tap: OutputTap

  public init(_ base: any TextOutput, tap: OutputTap) {
    self.base = base
    self.tap = tap
  }

  public func write(_ text: String) {
    tap.sink?.write(text)
    base.write(text)
  }
}
