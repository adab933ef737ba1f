/// A unified diff between a command's recorded output and its new output, numbered by
/// the transcript file's own lines.
///
/// The minus side is the file; the plus side is the file as `--bless` would rewrite it
/// (``MatchResult/blessedLines(expected:actual:)``), which is what `FILE.actual` should
/// hold. Lines that match through `[..]`, a placeholder or a timing window, and every
/// `...`, are context; a `replaced` line is a `-` with its replacement a `+`, a `missing`
/// line a `-`, an `extra` line a `+`, every `-` of a run of changes before its `+`.
///
/// ```
/// --- lesson.md
/// +++ lesson.md.actual
/// @@ -12,3 +12,3 @@
///    0.000s  enter timeout#1
/// -  2.001s  fired timeout#1
/// +  2.412s  fired timeout#1
///  => TimeoutError: [..]
/// ```
public enum UnifiedDiff {
  /// The diff for one command's output, headed `--- fileName` and `+++ fileName.actual`;
  /// empty when the output matches.
  ///
  /// - Parameters:
  ///   - context: how many unchanged lines to show around each change.
  ///   - outputStartLine: the file line where the output starts; needed only when
  ///     `expected` is empty (the command recorded no output).
  public static func render(
    expected: [ExpectedLine], actual: [String], result: MatchResult, fileName: String,
    context: Int = 3, outputStartLine: Int? = nil
  ) -> String {
    let body = hunks(
      expected: expected, actual: actual, result: result, context: context,
      outputStartLine: outputStartLine)
    guard !body.isEmpty else { return "" }
    return "--- \(fileName)\n+++ \(fileName).actual\n" + body
  }

  /// Only the hunks, for putting the diffs of several commands of one file under one
  /// header. `lineShift` is how many lines the earlier commands' hunks add to the plus
  /// side (the sum of their ``MatchResult/lineCountChange``).
  public static func hunks(
    expected: [ExpectedLine], actual: [String], result: MatchResult, context: Int = 3,
    outputStartLine: Int? = nil, lineShift: Int = 0
  ) -> String {
    let rows = Row.rows(
      expected: expected, actual: actual, steps: result.steps,
      startLine: expected.first?.lineNumber ?? outputStartLine ?? 1, lineShift: lineShift)
    let changes = rows.indices.filter { rows[$0].kind != .context }
    guard let firstChange = changes.first else { return "" }
    let context = max(0, context)
    var text = ""
    var start = firstChange
    var end = firstChange
    for change in changes.dropFirst() {
      if change - end - 1 <= 2 * context {
        end = change
      } else {
        text += hunk(rows, from: start, through: end, context: context)
        start = change
        end = change
      }
    }
    return text + hunk(rows, from: start, through: end, context: context)
  }

  /// The hunk around the changes from row `start` to row `end`.
  private static func hunk(_ rows: [Row], from start: Int, through end: Int, context: Int)
    -> String
  {
    let shown = rows[max(0, start - context)...min(rows.count - 1, end + context)]
    let old = range(shown.map(\.oldLine), before: shown.first?.oldPosition ?? 1)
    let new = range(shown.map(\.newLine), before: shown.first?.newPosition ?? 1)
    var text = "@@ -\(old) +\(new) @@\n"
    for row in shown { text += row.kind.rawValue + row.text + "\n" }
    return text
  }

  /// `12,5`, `12` for a single line, `11,0` (the line before) for none.
  private static func range(_ lines: [Int?], before position: Int) -> String {
    let present = lines.compactMap { $0 }
    guard let first = present.first else { return "\(position - 1),0" }
    return present.count == 1 ? "\(first)" : "\(first),\(present.count)"
  }

  /// One line of the diff, with its line number on each side it appears on.
  private struct Row {
    enum Kind: String {
      case context = " "
      case missing = "-"
      case extra = "+"
    }

    var kind: Kind
    var text: String
    /// Its line in the file, for context and missing lines.
    var oldLine: Int?
    /// Its line in the blessed file, for context and extra lines.
    var newLine: Int?
    /// The file line it stands before (its own, if it has one).
    var oldPosition: Int
    /// The blessed file's line it stands before (its own, if it has one).
    var newPosition: Int

    static func rows(
      expected: [ExpectedLine], actual: [String], steps: [MatchResult.Step], startLine: Int,
      lineShift: Int
    ) -> [Row] {
      var rows: [Row] = []
      var old = startLine
      var new = startLine + lineShift
      func fileLine(_ index: Int) -> (text: String, line: Int) {
        let line = expected[index].lineNumber
        new += line - old
        old = line
        return (expected[index].text, line)
      }
      for change in ordered(steps, actual: actual) {
        switch change {
        case .context(let index):
          let (text, line) = fileLine(index)
          rows.append(
            Row(
              kind: .context, text: text, oldLine: line, newLine: new,
              oldPosition: old, newPosition: new))
          old += 1
          new += 1
        case .missing(let index):
          let (text, line) = fileLine(index)
          rows.append(
            Row(
              kind: .missing, text: text, oldLine: line, newLine: nil,
              oldPosition: old, newPosition: new))
          old += 1
        case .extra(let text):
          rows.append(
            Row(
              kind: .extra, text: text, oldLine: nil, newLine: new,
              oldPosition: old, newPosition: new))
          new += 1
        }
      }
      return rows
    }

    /// One line of the diff before it is numbered.
    private enum Change {
      case context(expected: Int)
      case missing(expected: Int)
      case extra(String)
    }

    /// The steps as lines of the diff, a replaced line as its `-` and its `+`, and in each
    /// run of changed lines every `-` before every `+`.
    private static func ordered(_ steps: [MatchResult.Step], actual: [String]) -> [Change] {
      var changes: [Change] = []
      var run: (missing: [Change], extra: [Change]) = ([], [])
      for step in steps {
        switch step {
        case .matched(let index, _), .ellipsis(let index, _):
          changes += run.missing + run.extra + [.context(expected: index)]
          run = ([], [])
        case .replaced(let index, _, let written):
          run.missing.append(.missing(expected: index))
          run.extra.append(.extra(written))
        case .missing(let index):
          run.missing.append(.missing(expected: index))
        case .extra(let index):
          run.extra.append(.extra(actual[index]))
        }
      }
      return changes + run.missing + run.extra
    }
  }
}
