/// One trace event as `compare` shows and compares it.
public struct CompareRow: Sendable, Equatable {
  public var time: Double?
  public var name: String
  public var id: String
  /// The error (for the events that carry one), a print's text, or a result's outcome.
  public var detail: String?
  /// A result's value.
  public var value: String?

  public init(_ fields: [String: FlatJSON.Value]) {
    time = fields["t"]?.number
    name = fields["event"]?.string ?? "?"
    id = fields["id"]?.string ?? ""
    switch name {
    case "exit", "exit-done", "enter-failed", "suppressed": detail = fields["error"]?.string
    case "print": detail = fields["text"]?.string ?? ""
    case "flag":
      let value = fields["value"].map { $0 == .bool(true) ? "true" : "false" } ?? "?"
      detail = "\(fields["name"]?.string ?? "?")=\(value)"
    case "result":
      detail = fields["outcome"]?.string
      value = fields["value"]?.string
    default: detail = nil
    }
  }

  /// Python's names for errors that Swift names differently, and Swift's name for each:
  /// the two are the same error to compare.
  static let swiftErrorNames = ["CancelledError": "CancellationError"]

  /// The error or outcome as compared: Swift's name for it (`CancelledError` is
  /// `CancellationError`), a print's text or a flag as it is.
  var comparedDetail: String? {
    guard name != "print", name != "flag", let detail else { return detail }
    return Self.swiftErrorNames[detail] ?? detail
  }

  /// Whether the error is a cancellation, by either language's name.
  var isCancellation: Bool { name != "print" && comparedDetail == "CancellationError" }

  /// What is compared: the name, id, error, printed text, outcome and value; not the time.
  public var key: String {
    var parts = [name, id]
    switch name {
    case "exit", "exit-done", "enter-failed", "suppressed": parts.append(comparedDetail ?? "nil")
    case "print", "flag": parts.append(detail ?? "")
    case "result": parts += [comparedDetail ?? "nil", value ?? "nil"]
    default: break
    }
    return parts.joined(separator: " ")
  }

  func with(id: String) -> CompareRow {
    var row = self
    row.id = id
    return row
  }

  func with(detail: String?) -> CompareRow {
    var row = self
    row.detail = detail
    return row
  }

  /// `t event id [error]`, the time to the millisecond; control characters (a print's
  /// text, anything Python sent) escaped.
  public var text: String {
    let milliseconds = Int(((time ?? 0) * 1000).rounded())
    let fraction = String(milliseconds % 1000)
    let stamp =
      "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count)
      + fraction
    return ([stamp, name, id] + (detail.map { [$0] } ?? [])).filter { !$0.isEmpty }
      .joined(separator: " ").controlCharactersEscaped
  }
}

/// Two traces of one program, row by row.
public struct TraceComparison: Sendable {
  public var scopelab: [CompareRow]
  public var python: [CompareRow]
  /// The known differences that explain (part of) how the traces differ.
  public var differences: [KnownDifference]
  /// Whether ``differences`` explain all of it.
  public var explainAll: Bool

  public init(
    scopelab: [CompareRow], python: [CompareRow], differences: [KnownDifference] = [],
    explainAll: Bool = false
  ) {
    self.scopelab = scopelab
    self.python = python
    self.differences = differences
    self.explainAll = explainAll
  }

  /// The first row where the traces differ, if any.
  public var firstDifference: Int? {
    let count = max(scopelab.count, python.count)
    return (0..<count).first { index in
      index >= scopelab.count || index >= python.count
        || scopelab[index].key != python[index].key
    }
  }

  /// The table, then `notes`, the known differences, and the verdict:
  /// `agree` or `differ: ...` (none if `verdict` is false: the runs were interrupted); at
  /// most `width` columns (the screen's; 80 in a pipe), the two columns sharing it.
  public func render(notes: [String] = [], verdict: Bool = true, width: Int = 80) -> String {
    let total = max(TextLayout.minimumWidth, width)
    // `>> ` or three spaces, the left column, two spaces, the right column.
    let left = (total - 5) / 2
    let right = total - 5 - left
    var lines = ["   " + Self.fit("scopelab", left) + "  " + "python"]
    let first = verdict ? firstDifference : nil
    for index in 0..<max(scopelab.count, python.count) {
      let leftText = index < scopelab.count ? scopelab[index].text : ""
      let rightText = index < python.count ? python[index].text : ""
      let marker = index == first ? ">> " : "   "
      lines.append(
        marker + Self.fit(leftText, left) + "  " + Self.fit(rightText, right, pad: false))
    }
    var notes = notes
    let renamed = CompareRow.swiftErrorNames.filter { python, _ in
      self.python.contains { $0.name != "print" && $0.detail == python }
    }
    for (python, swift) in renamed.sorted(by: { $0.key < $1.key }) {
      notes.insert("python's \(python) is Swift's \(swift): the same error", at: 0)
    }
    for note in notes { lines += TextLayout.wrap(note, width: total, continuation: "    ") }
    guard verdict else { return lines.joined(separator: "\n") + "\n" }
    for difference in differences {
      lines += TextLayout.wrap(
        "known difference \(difference.rawValue): \(difference.explanation)", width: total,
        continuation: "    ")
    }
    if let first {
      let known =
        differences.isEmpty
        ? "no known difference explains it"
        : explainAll
          ? "explained by the known differences above"
          : "the known differences above explain only part of it"
      lines += TextLayout.wrap(
        "differ: first at event \(first + 1); \(known)", width: total, continuation: "    ")
    } else {
      lines.append("agree")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// How many events of `first` and `second` are not matched with one of the other: both
  /// counts less twice their longest common subsequence.
  static func unmatched(_ first: [String], _ second: [String]) -> Int {
    // The common start and end cost nothing: only the middle needs the table.
    var start = 0
    while start < first.count && start < second.count && first[start] == second[start] {
      start += 1
    }
    var (end1, end2) = (first.count, second.count)
    while end1 > start && end2 > start && first[end1 - 1] == second[end2 - 1] {
      end1 -= 1
      end2 -= 1
    }
    let (one, two) = (Array(first[start..<end1]), Array(second[start..<end2]))
    if one.isEmpty || two.isEmpty { return one.count + two.count }
    guard one.count * two.count <= 4_000_000 else {
      // Very long traces: what is missing on either side, order aside.
      var counts: [String: Int] = [:]
      for key in one { counts[key, default: 0] += 1 }
      for key in two { counts[key, default: 0] -= 1 }
      return counts.values.reduce(0) { $0 + abs($1) }
    }
    var previous = [Int](repeating: 0, count: two.count + 1)
    var current = previous
    for key in one {
      for index in two.indices {
        current[index + 1] =
          key == two[index] ? previous[index] + 1 : max(previous[index + 1], current[index])
      }
      swap(&previous, &current)
    }
    return one.count + two.count - 2 * previous[two.count]
  }

  /// `text` cut to `width` columns (the last one `…`), padded to it if `pad`.
  static func fit(_ text: String, _ width: Int, pad: Bool = true) -> String {
    let cut = text.ellipsized(toWidth: width)
    return pad ? cut.padded(toWidth: width) : cut
  }
}
