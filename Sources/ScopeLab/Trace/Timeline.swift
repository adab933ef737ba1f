public import AsyncScope

/// The picture after a run: one bar per scope from enter to exit on a common time axis.
///
/// ```
/// timeline              0s        0.5s        1s        1.5s        2s
/// timeout#1             [=============================================F]x TimeoutError
///   process#1            [============================================S]
/// F deadline fired  S signalled  x error left  c cancelled  ] exit
/// ```
public struct Timeline: Sendable {
  public let events: [TraceEvent]
  public let width: Int

  public init(events: [TraceEvent], width: Int = 80) {
    self.events = events
    self.width = max(40, width)
  }

  struct Bar {
    var identity: ScopeIdentity
    var start: Duration
    var end: Duration?
    var lastEvent: Duration = .zero
    var marks: [(Duration, Character)] = []
    var received: String?
    var failedEnter: String?
    var suppressed = false
  }

  /// The bars, in order of entry.
  func bars() -> [Bar] {
    var bars: [Bar] = []
    var index: [String: Int] = [:]
    func at(_ scope: ScopeIdentity, _ time: Duration) -> Int {
      if let existing = index[scope.id] { return existing }
      bars.append(Bar(identity: scope, start: time))
      index[scope.id] = bars.count - 1
      return bars.count - 1
    }
    for event in events {
      guard let scope = event.scope else { continue }
      let bar = at(scope, event.time)
      // A bar lasts until the scope's last event: exit is reported as it begins, and a
      // process teardown (signal, status, reaped) happens during it.
      bars[bar].lastEvent = event.time
      switch event.kind {
      case .fired: bars[bar].marks.append((event.time, "F"))
      case .signal: bars[bar].marks.append((event.time, "S"))
      case .enterFailed(let error):
        bars[bar].end = event.time
        bars[bar].failedEnter = error
      case .suppressed:
        bars[bar].suppressed = true
      case .exit(let error, _):
        bars[bar].end = event.time
        bars[bar].received = error
      default: break
      }
    }
    return bars
  }

  /// The picture as lines, each at most `width` columns.
  public func render(palette: Palette = .plain) -> [String] {
    let bars = bars()
    guard !bars.isEmpty else { return ["timeline: no scopes ran"] }
    let total = max(events.map(\.time).max() ?? .zero, .milliseconds(10))
    let labels = bars.map { String(repeating: " ", count: 2 * $0.identity.depth) + $0.identity.id }
    let labelWidth = min(24, max(10, labels.map(\.count).max() ?? 0 + 1) + 1)
    let axisWidth = max(20, width - labelWidth - 22)
    func column(_ time: Duration) -> Int {
      let fraction = max(0, min(1, time.inSeconds / total.inSeconds))
      return Int((fraction * Double(axisWidth - 1)).rounded())
    }
    var lines = [axisLine(labelWidth: labelWidth, axisWidth: axisWidth, total: total)]
    for (bar, label) in zip(bars, labels) {
      // One spare column: the closing mark moves right rather than hide an F or S.
      var cells = Array(repeating: Character(" "), count: axisWidth + 1)
      let start = column(bar.start)
      let end = column(bar.end.map { max($0, bar.lastEvent) } ?? total)
      for position in start...max(start, end) { cells[position] = "=" }
      cells[start] = "["
      for (time, mark) in bar.marks { cells[column(time)] = mark }
      let closing: Character
      if bar.failedEnter != nil {
        closing = "x"
      } else if let received = bar.received {
        closing = received == "CancellationError" ? "c" : "x"
      } else {
        closing = bar.end == nil ? ">" : "]"
      }
      let last = max(start, end)
      // An instant scope still shows both ends: `[]`, `[x`.
      cells[last > start && cells[last] == "=" ? last : last + 1] = closing
      let trimmedLabel = String(label.prefix(labelWidth - 1))
      var line = trimmedLabel + String(repeating: " ", count: labelWidth - trimmedLabel.count)
      line += String(cells).trailingSpacesRemoved()
      let received = bar.received.map { bar.suppressed ? "\($0) (suppressed)" : $0 }
      if let outcome = bar.failedEnter.map({ "enter failed: \($0)" }) ?? received {
        line += " " + palette.warn(String(outcome.prefix(max(0, width - line.count - 1))))
      }
      lines.append(line)
    }
    lines.append(
      palette.dim("[ enter  ] exit  F deadline fired  S signalled  c cancelled  x error"))
    return lines
  }

  private func axisLine(labelWidth: Int, axisWidth: Int, total: Duration) -> String {
    var cells = Array(repeating: Character(" "), count: axisWidth + 8)
    let ticks = 4
    for tick in 0...ticks {
      let position = tick * (axisWidth - 1) / ticks
      let label = Array(formatTick(total.inSeconds * Double(tick) / Double(ticks)))
      for (offset, char) in label.enumerated() where position + offset < cells.count {
        cells[position + offset] = char
      }
    }
    let title = "timeline"
    return title + String(repeating: " ", count: max(1, labelWidth - title.count))
      + String(cells).trailingSpacesRemoved()
  }

  private func formatTick(_ seconds: Double) -> String {
    if seconds == 0 { return "0s" }
    if seconds < 0.01 {
      let tenths = (seconds * 10_000).rounded() / 10
      return tenths == tenths.rounded() ? "\(Int(tenths))ms" : "\(tenths)ms"
    }
    if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
    let rounded = (seconds * 100).rounded() / 100
    return rounded == rounded.rounded() ? "\(Int(rounded))s" : "\(rounded)s"
  }
}

extension String {
  func trailingSpacesRemoved() -> String {
    var text = Substring(self)
    while text.last == " " { text.removeLast() }
    return String(text)
  }
}
