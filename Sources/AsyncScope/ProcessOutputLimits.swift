/// How much of a child's output the trace shows.
public struct ProcessOutputLimits: Sendable, Equatable {
  /// Longer lines are cut here and marked `[line truncated]`.
  public var maxLineBytes: Int
  /// After this many bytes from both streams together, output is read and dropped.
  public var maxTotalBytes: Int

  public init(maxLineBytes: Int = 4096, maxTotalBytes: Int = 256 * 1024) {
    self.maxLineBytes = max(1, maxLineBytes)
    self.maxTotalBytes = max(0, maxTotalBytes)
  }
}
