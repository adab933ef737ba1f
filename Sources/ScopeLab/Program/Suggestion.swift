/// "Did you mean" suggestions: the nearest word by edit distance.
enum Suggestion {
  /// The candidate closest to `word` (ignoring case), if it is close enough to be what
  /// the user meant: at most 1 edit for short words, 2 for longer ones, and fewer
  /// edits than the word has characters.
  static func nearest(to word: String, in candidates: [String]) -> String? {
    let lowered = word.lowercased()
    let limit = lowered.count <= 4 ? 1 : 2
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
      let distance = editDistance(lowered, candidate.lowercased())
      guard distance <= limit, distance < lowered.count else { continue }
      if best.map({ distance < $0.distance }) ?? true { best = (candidate, distance) }
    }
    return best?.candidate
  }

  /// Levenshtein distance, with a swap of two neighbours counting as one edit.
  static func editDistance(_ lhs: String, _ rhs: String) -> Int {
    let a = Array(lhs)
    let b = Array(rhs)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousRow = [Int](repeating: 0, count: b.count + 1)
    var row = Array(0...b.count)
    var beforePrevious = row
    for i in 1...a.count {
      beforePrevious = previousRow
      previousRow = row
      row = [Int](repeating: 0, count: b.count + 1)
      row[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var value = min(previousRow[j] + 1, row[j - 1] + 1, previousRow[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          value = min(value, beforePrevious[j - 2] + 1)
        }
        row[j] = value
      }
    }
    return row[b.count]
  }
}
