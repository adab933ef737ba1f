import AsyncScope

/// The ``Timeline``'s time axis: from 0 to the run's end over `columns` columns, with
/// ticks at round values (`0 250ms 500ms 750ms 1s`).
struct TimelineAxis {
  /// The shortest axis: a run of a fraction of a millisecond reads as a tiny run.
  static let minimumSpan = Duration.milliseconds(10)

  /// The axis's end, at least ``minimumSpan``.
  let span: Duration
  /// Columns from time 0 (column 0) to ``span`` (column `columns - 1`).
  let columns: Int

  init(runEnd: Duration, columns: Int) {
    span = max(runEnd, Self.minimumSpan)
    self.columns = max(2, columns)
  }

  /// The column of `time`, clamped to the axis.
  func column(_ time: Duration) -> Int {
    let fraction = max(0, min(1, time.inSeconds / span.inSeconds))
    return Int((fraction * Double(columns - 1)).rounded())
  }

  /// The tick values in microseconds: a step of 1, 2, 2.5 or 5 x 10^k giving 3 to 6
  /// ticks (5 preferred) whose labels leave two blanks between them and end within
  /// `room` columns; fewer ticks when the axis is too narrow for three.
  func ticks(room: Int) -> [Int] {
    let total = Self.microseconds(span)
    var candidates: [[Int]] = []
    var scale = 1000
    while scale <= total {
      for mantissa in [10, 20, 25, 50] {
        let step = mantissa * scale / 10
        let count = total / step + 1
        guard (2...6).contains(count) else { continue }
        candidates.append((0..<count).map { $0 * step })
      }
      scale *= 10
    }
    let readable = candidates.filter { fits($0, room: room) }
    // Fewer ticks break a tie, then the ticks reaching further along the axis.
    let best = readable.min { first, second in
      (penalty(first.count), first.count, -(first.last ?? 0))
        < (penalty(second.count), second.count, -(second.last ?? 0))
    }
    return best ?? [0]
  }

  /// Three to six ticks are wanted; two only when nothing else fits.
  private func penalty(_ count: Int) -> Int {
    count < 3 ? 10 : abs(count - 5)
  }

  private func fits(_ ticks: [Int], room: Int) -> Bool {
    var free = 0
    for tick in ticks {
      let position = column(microseconds: tick)
      let end = position + Self.label(microseconds: tick).count
      guard position >= free, end <= room else { return false }
      free = end + 2
    }
    return true
  }

  private func column(microseconds: Int) -> Int {
    column(.microseconds(microseconds))
  }

  /// The axis line, without the label column: each tick's label starting at its column.
  func line(room: Int) -> String {
    var cells = Array(repeating: Character(" "), count: room)
    for tick in ticks(room: room) {
      let position = column(microseconds: tick)
      for (offset, character) in Self.label(microseconds: tick).enumerated()
      where position + offset < room {
        cells[position + offset] = character
      }
    }
    return String(cells).trailingSpacesRemoved()
  }

  /// `0`, `2.5ms`, `250ms`, `1s`, `1.5s`, `2m`, `1m30s`.
  static func label(microseconds value: Int) -> String {
    if value == 0 { return "0" }
    if value < 1_000_000 { return decimal(value, unit: 1000) + "ms" }
    if value < 60_000_000 { return decimal(value, unit: 1_000_000) + "s" }
    let seconds = value / 1_000_000
    let (minutes, rest) = seconds.quotientAndRemainder(dividingBy: 60)
    return rest == 0 ? "\(minutes)m" : "\(minutes)m\(rest)s"
  }

  /// `value / unit` with only the decimals it needs: `2.5`, `10`, `0.25`.
  private static func decimal(_ value: Int, unit: Int) -> String {
    let (whole, fraction) = value.quotientAndRemainder(dividingBy: unit)
    guard fraction > 0 else { return "\(whole)" }
    var digits = String(fraction)
    digits = String(repeating: "0", count: String(unit).count - 1 - digits.count) + digits
    while digits.last == "0" { digits.removeLast() }
    return "\(whole).\(digits)"
  }

  static func microseconds(_ duration: Duration) -> Int {
    let (seconds, attoseconds) = duration.components
    return Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
  }
}
