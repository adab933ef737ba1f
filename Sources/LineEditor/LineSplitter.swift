/// Cuts a byte stream into lines and judges each: the pure core of
/// ``PlainLineReader``.
///
/// Lines end at "\n" (a "\r" before it is dropped). A line longer than the limit
/// is reported once as ``InvalidLine/Reason/tooLong(limit:)`` as soon as it
/// passes the limit and the rest of it is skipped, so memory stays bounded.
struct LineSplitter {
  let limit: Int
  private var current: [UInt8] = []
  private var skipping = false
  private var lineNumber = 1

  init(limit: Int) {
    self.limit = max(1, limit)
  }

  /// Consumes bytes; returns the lines they complete, in order.
  mutating func feed(_ bytes: some Collection<UInt8>) -> [LineInput] {
    var results: [LineInput] = []
    var rest = bytes[...]
    while !rest.isEmpty {
      let newline = rest.firstIndex(of: UInt8(ascii: "\n"))
      let segment = rest[..<(newline ?? rest.endIndex)]
      if !skipping {
        if current.count + segment.count > limit + 1 {
          results.append(.invalid(InvalidLine(.tooLong(limit: limit), lineNumber: lineNumber)))
          current = []
          skipping = true
        } else {
          current.append(contentsOf: segment)
        }
      }
      guard let newline else { break }
      if let line = endLine() { results.append(line) }
      rest = rest[rest.index(after: newline)...]
    }
    return results
  }

  /// At end of input: the last line if it had no "\n".
  /// Whether bytes of a line whose end has not come yet are held.
  var hasPartialLine: Bool { !current.isEmpty || skipping }

  mutating func finish() -> LineInput? {
    guard skipping || !current.isEmpty else { return nil }
    return endLine()
  }

  /// Judges the line collected so far and starts the next one.
  private mutating func endLine() -> LineInput? {
    defer {
      current = []
      skipping = false
      lineNumber += 1
    }
    if skipping { return nil }
    var bytes = current[...]
    if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
    if bytes.count > limit {
      return .invalid(InvalidLine(.tooLong(limit: limit), lineNumber: lineNumber))
    }
    if bytes.contains(0) {
      return .invalid(InvalidLine(.containsNUL, lineNumber: lineNumber))
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      return .invalid(InvalidLine(.invalidUTF8, lineNumber: lineNumber))
    }
    return .line(text)
  }
}
