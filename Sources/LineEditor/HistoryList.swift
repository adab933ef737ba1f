/// The history's entries, oldest first: deduplicated and capped.
///
/// Adding a line that is already present moves it to the end, so every entry
/// appears once and the Up arrow recalls the most recent use first.
public struct HistoryList: Sendable, Equatable {
  /// The entries, oldest first.
  public private(set) var entries: [String]

  /// The most entries kept; the oldest are dropped beyond it.
  public let capacity: Int

  /// Creates a history from entries, oldest first (deduplicated and capped).
  public init(_ entries: [String] = [], capacity: Int = 1000) {
    self.entries = []
    self.capacity = max(1, capacity)
    append(contentsOf: entries)
  }

  /// Whether `line` can be kept in a history: not blank, and a single line.
  public static func isRecordable(_ line: String) -> Bool {
    !line.allSatisfy(\.isWhitespace)
      && !line.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" })
  }

  /// Adds a line at the end, removing an earlier copy; ignores lines that are
  /// not ``isRecordable(_:)``.
  public mutating func append(_ line: String) {
    append(contentsOf: [line])
  }

  /// Adds lines in order, as ``append(_:)`` does each.
  public mutating func append(contentsOf lines: [String]) {
    let added = lines.filter(Self.isRecordable)
    guard !added.isEmpty else { return }
    var seen = Set<String>()
    var kept: [String] = []
    for line in (entries + added).reversed() where seen.insert(line).inserted {
      kept.append(line)
      if kept.count == capacity { break }
    }
    entries = kept.reversed()
  }
}
