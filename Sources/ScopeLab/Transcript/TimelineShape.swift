/// How a check compares the timeline pictures in a transcript: by their shape, not their
/// columns.
///
/// A timeline is drawn from the run's real times, so its bars move a column or two from
/// one run to the next (and a lot, relatively, for a run of a few milliseconds). Timing
/// tokens in trace lines match within windows; a picture matches when it has the same
/// bars with the same labels, the same marks in the same order and the same words after
/// them. The axis line's ticks, the length of each `=`/`-` run (and where the body's `=`
/// gives way to the exit's `-`), the legend's `= body` and `- exit` (drawn only when an exit
/// took a column) and the gaps between marks are left out of the comparison; the file
/// keeps the picture as it was drawn.
enum TimelineShape {
  /// `lines` with every timeline picture reduced to its shape; other lines as they are,
  /// one for one, so indices into the result are indices into `lines`.
  static func comparable(_ lines: [String]) -> [String] {
    var result: [String] = []
    var inPicture = false
    for line in lines {
      if line.hasPrefix("timeline ") || line == "timeline" {
        inPicture = true
        result.append("timeline")
      } else if inPicture && line.hasPrefix("[ enter") {
        inPicture = false
        result.append(legendShape(line))
      } else if inPicture, let shape = barShape(line) {
        result.append(shape)
      } else {
        inPicture = false
        result.append(line)
      }
    }
    return result
  }

  /// The legend without `= body` and `- exit`: it names them only when an exit drew a `-`
  /// cell, and how long an exit took in columns is left out of a bar's shape - a slow
  /// machine draws a few `-` cells where the recording drew none.
  static func legendShape(_ line: String) -> String {
    line.split(separator: "  ", omittingEmptySubsequences: false)
      .filter { $0 != "= body" && $0 != "- exit" }
      .joined(separator: "  ")
  }

  /// A bar line's label, then its marks in order (`[`, `F`, `S`, `R`, the closing mark)
  /// without the `=`/`-` cells between them, then the words after it; `nil` for a line
  /// that is no bar.
  static func barShape(_ line: String) -> String? {
    guard let open = line.firstIndex(of: "["), open != line.startIndex else { return nil }
    let label = line[..<open].trimmingTrailingSpaces()
    guard !label.isEmpty else { return nil }
    var shape = String(label) + " "
    var rest = line[open...]
    // The cells end at the first space followed by a word (the outcome text).
    var words = ""
    if let gap = rest.firstRange(of: " ") {
      words = String(rest[gap.lowerBound...]).trimmingSpacesAround()
      rest = rest[..<gap.lowerBound]
    }
    // Only the marks count, in order: how many `=` or `-` cells lie before, between or
    // after them moves with the run's timing (a mark a column later, a body of a few
    // milliseconds one `=` more or less).
    for character in rest where !"=- ".contains(character) {
      shape.append(character)
    }
    return words.isEmpty ? shape : shape + " " + words
  }
}

extension Substring {
  fileprivate func trimmingSpacesAround() -> String {
    var text = self
    while text.first == " " { text.removeFirst() }
    while text.last == " " { text.removeLast() }
    return String(text)
  }
}

extension String {
  fileprivate func trimmingSpacesAround() -> String {
    Substring(self).trimmingSpacesAround()
  }
}
