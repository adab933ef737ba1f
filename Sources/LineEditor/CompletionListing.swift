/// Candidates laid out in columns, as shells list completions.
struct CompletionListing {
  /// The lines, each ending in "\r\n" (the terminal is in raw mode while editing).
  let text: String

  init(_ candidates: [String], width: Int) {
    let cell = (candidates.map(\.count).max() ?? 0) + 2
    let columns = max(1, width / max(cell, 1))
    let rows = (candidates.count + columns - 1) / columns
    var lines: [String] = []
    for row in 0..<rows {
      var line = ""
      for column in 0..<columns {
        let index = column * rows + row
        guard index < candidates.count else { continue }
        let name = candidates[index]
        let isLast = (column + 1) * rows + row >= candidates.count
        line += isLast ? name : name + String(repeating: " ", count: cell - name.count)
      }
      lines.append(line)
    }
    text = lines.map { $0 + "\r\n" }.joined()
  }
}
