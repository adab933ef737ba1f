/// A name in square brackets that a transcript writes in place of output that changes from
/// run to run, such as `[PID]` for a process id.
///
/// In an expected line a placeholder matches a non-empty run of the characters it stands
/// for (`[PID]` matches `4711`), or the placeholder itself: the recorder normalizes new
/// output the same way, so `[PID]` also matches `[PID]`. ``all`` is the one table of
/// placeholders; add new ones there.
public struct Placeholder: Sendable {
  /// The placeholder as written, brackets included: `[PID]`.
  public let name: String
  /// Whether a character can be part of the text the placeholder stands for.
  let matches: @Sendable (Character) -> Bool

  /// `[PID]`: a process id, one or more ASCII digits.
  public static let processID = Placeholder(name: "[PID]") { $0.isASCII && $0.isNumber }

  /// Every placeholder an expected line may use.
  public static let all: [Placeholder] = [processID]
}
