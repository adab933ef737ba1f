public import AsyncScope

/// The picture after a run: one bar per scope from enter to the end of its exit, on a
/// common time axis, every line at most `width` terminal columns.
///
/// ```
/// timeline      0        100ms    200ms    300ms    400ms    500ms
/// timeout#1     [============================================Fx TimeoutError
///   runner#1    [============================================c CancellationError
///     process#1 [============================================Sc CancellationError
/// [ enter  F fired  S signalled  c cancelled  x error
/// ```
///
/// A slow exit shows as `-` after the body's `=`; a scope without `exit-done` (a run cut
/// short) runs to the axis's end with `>`. The legend names only the marks drawn.
public struct Timeline: Sendable {
  public let events: [TraceEvent]
  /// The most display columns a line may take.
  public let width: Int

  public init(events: [TraceEvent], width: Int = 80) {
    self.events = events
    self.width = max(40, width)
  }

  /// Columns after the bars that the last tick's label may need.
  private static let tickOverhang = 7
  /// The glyphs a bar can show, and what each means, in the legend's order.
  private static let legend: [(glyph: Character, meaning: String)] = [
    ("[", "enter"), ("=", "body"), ("-", "exit"), ("]", "exit done"), ("F", "fired"),
    ("R", "rescheduled"), ("S", "signalled"), ("c", "cancelled"), ("x", "error"),
    (">", "unfinished"),
  ]

  /// The picture as lines, each at most ``width`` display columns (colour codes aside).
  public func render(palette: Palette = .plain) -> [String] {
    let bars = TimelineBar.bars(of: events)
    guard !bars.isEmpty else { return ["timeline: no scopes ran"] }
    let layout = Layout(bars: bars, width: width)
    let axis = TimelineAxis(
      runEnd: events.map(\.time).max() ?? .zero, columns: layout.axisColumns)
    let title = "timeline".padded(toWidth: layout.labelColumns)
    var lines = [title + axis.line(room: width - layout.labelColumns)]
    var glyphs: Set<Character> = []
    for (bar, label) in zip(bars, layout.labels) {
      let cells = drawing(bar, on: axis)
      glyphs.formUnion(cells)
      var line = label + String(cells).trailingSpacesRemoved()
      if let outcome = bar.outcome?.controlCharactersEscaped {
        let room = width - line.displayWidth - 1
        let text = outcome.ellipsizedAtWords(toWidth: room)
        if !text.isEmpty { line += " " + palette.warn(text) }
      }
      lines.append(line)
    }
    let entries = Self.legend.filter { entry in
      // `= body` only means something next to `- exit`.
      glyphs.contains(entry.glyph) && (entry.glyph != "=" || glyphs.contains("-"))
    }
    let legend = Self.wrapped(entries.map { "\($0.glyph) \($0.meaning)" }, toWidth: width)
    return lines + legend.map(palette.dim)
  }

  /// The bar's cells: `[` at enter, `=` while the body runs, `-` while exit runs, marks
  /// where they happened, the closing mark at exit-done (or `>` at the axis's end).
  private func drawing(_ bar: TimelineBar, on axis: TimelineAxis) -> [Character] {
    var cells = Array(repeating: Character(" "), count: axis.columns + 2)
    let start = axis.column(bar.start)
    let end = max(start, bar.end.map(axis.column) ?? axis.columns - 1)
    let exitColumn = bar.exitBegan.map(axis.column)
    for position in start...end {
      cells[position] = exitColumn.map { position > $0 } == true ? "-" : "="
    }
    cells[start] = "["
    var lastMark = start
    for (time, mark) in bar.marks {
      // A mark never hides the `[`: an event at the entry column goes just after it.
      let position = min(max(axis.column(time), start + 1), axis.columns)
      cells[position] = mark
      lastMark = max(lastMark, position)
    }
    // An instant scope still shows both ends (`[]`, `[x`); the closing mark moves right
    // rather than hide a mark.
    let closing =
      end > start && lastMark < end ? end : max(end, lastMark) + 1
    cells[closing] = bar.closing
    return cells
  }

  /// Legend entries joined by two spaces, wrapped to lines of at most `width` columns.
  private static func wrapped(_ entries: [String], toWidth width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for entry in entries {
      if !line.isEmpty && line.displayWidth + 2 + entry.displayWidth > width {
        lines.append(line)
        line = ""
      }
      line += (line.isEmpty ? "" : "  ") + entry
    }
    return line.isEmpty ? lines : lines + [line]
  }

  /// How the width is shared: the label column, the axis, room for the words after it.
  private struct Layout {
    /// Each bar's label, indented by depth, padded to ``labelColumns``.
    var labels: [String]
    var labelColumns: Int
    var axisColumns: Int

    init(bars: [TimelineBar], width: Int) {
      let cap = max(12, min(32, width / 4))
      let wanted = bars.map {
        2 * $0.identity.depth + $0.identity.id.controlCharactersEscaped.displayWidth
      }
      let labelText = min(cap, max("timeline".count, wanted.max() ?? 0))
      labelColumns = labelText + 1
      // Two columns a level; one when that would squeeze a name below its shortest form,
      // so every level stays visibly indented.
      let roomy = bars.allSatisfy {
        2 * $0.identity.depth + Self.shortest($0.identity.id.controlCharactersEscaped)
          <= labelText
      }
      labels = bars.map {
        Self.label(for: $0.identity, width: labelText, step: roomy ? 2 : 1)
          .padded(toWidth: labelText + 1)
      }
      // The axis takes what the words after the bars leave, but at least half the width.
      let words = bars.map { $0.outcome.map { 1 + $0.controlCharactersEscaped.displayWidth } ?? 0 }
      let tail = max(Timeline.tickOverhang, 2 + (words.max() ?? 0))
      let shortest = max(20, (width - labelColumns) / 2)
      axisColumns = max(shortest, width - labelColumns - tail)
    }

    /// `  averyverylo…#1`: the indentation kept (`step` columns a level), the name
    /// shortened, the `#N` kept.
    static func label(for identity: ScopeIdentity, width: Int, step: Int) -> String {
      let id = identity.id.controlCharactersEscaped
      let ordinal = Self.ordinal(of: id)
      // Nesting deeper than the column can show gives up indentation before the name
      // becomes unreadable.
      let indent = min(step * identity.depth, max(0, width - Self.shortest(id)))
      let text = String(repeating: " ", count: indent)
      guard indent + id.displayWidth > width else { return text + id }
      guard !ordinal.isEmpty else { return text + id.ellipsized(toWidth: width - indent) }
      let name = String(id.dropLast(ordinal.count))
      return text + name.ellipsized(toWidth: width - indent - ordinal.displayWidth) + ordinal
    }

    /// The fewest columns `id` can be shown in: whole, or three of its name's
    /// characters and `…` before its `#N`.
    static func shortest(_ id: String) -> Int {
      min(id.displayWidth, Self.ordinal(of: id).displayWidth + 4)
    }

    /// `#3` of `timeout#3`; empty when the id does not end in `#` and digits.
    static func ordinal(of id: String) -> String {
      guard let hash = id.lastIndex(of: "#") else { return "" }
      let digits = id[id.index(after: hash)...]
      let numeric = !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
      return numeric ? String(id[hash...]) : ""
    }
  }
}
