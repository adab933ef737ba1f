/// Splits one stream of a child's output into lines as bytes arrive, within limits.
///
/// A value-type state machine: feed it bytes, get back the complete lines. Lines end at
/// `\n` (a trailing `\r` is dropped); a line longer than ``ProcessOutputLimits/maxLineBytes``
/// is cut there and marked, the rest of it skipped. Once the shared byte budget is spent,
/// one notice line says so and further output is read and dropped, so the child never
/// blocks on a full pipe.
struct ProcessOutputLines: Sendable {
  let limits: ProcessOutputLimits
  private var pending: [UInt8] = []
  /// Inside an over-long line, after its cut: skip up to the next newline.
  private var skippingLongLine = false
  /// The budget ran out: nothing more is reported.
  private(set) var exhausted = false

  static let lineTruncatedMarker = " [line truncated]"

  init(limits: ProcessOutputLimits) {
    self.limits = limits
  }

  /// Takes a chunk of bytes; returns the lines it completed.
  ///
  /// - Parameter budget: how many more bytes may be reported, shared by both streams;
  ///   each reported line's length is subtracted.
  mutating func feed(_ bytes: some Sequence<UInt8>, budget: inout Int) -> [String] {
    guard !exhausted else { return [] }
    var lines: [String] = []
    for byte in bytes {
      if byte == UInt8(ascii: "\n") {
        if skippingLongLine {
          skippingLongLine = false
        } else {
          emit(&lines, marker: "", budget: &budget)
        }
        pending.removeAll(keepingCapacity: true)
      } else if !skippingLongLine {
        pending.append(byte)
        if pending.count >= limits.maxLineBytes {
          emit(&lines, marker: Self.lineTruncatedMarker, budget: &budget)
          pending.removeAll(keepingCapacity: true)
          skippingLongLine = true
        }
      }
      if exhausted { break }
    }
    return lines
  }

  /// The stream ended: returns its last line if it had no newline.
  mutating func finish(budget: inout Int) -> [String] {
    var lines: [String] = []
    if !exhausted && !skippingLongLine && !pending.isEmpty {
      emit(&lines, marker: "", budget: &budget)
    }
    pending = []
    return lines
  }

  private mutating func emit(_ lines: inout [String], marker: String, budget: inout Int) {
    if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
    guard pending.count <= budget else {
      exhausted = true
      lines.append("[output truncated: more than \(limits.maxTotalBytes) bytes]")
      return
    }
    budget -= max(pending.count, 1)
    lines.append(String(decoding: pending, as: UTF8.self) + marker)
  }
}
