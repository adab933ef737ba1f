import AsyncScope

/// `replay --check`: runs every command of a transcript in a fresh session, as fast as it
/// can (pauses ignored), and compares what each printed with what the file says.
///
/// While each command runs, a ``SchedulingProbe`` measures how late the machine wakes a
/// sleeping task; on a busy machine the late edges of that command's timing windows, and
/// of a lesson challenge's `time:` windows, move later by what it measured (never the
/// early edges), and the report says so.
public struct TranscriptCheck: Sendable {
  /// Widens only the late side of timing windows (`--slack F`, at least 1).
  public let slack: Double
  /// The probe each command is measured with (a test gives one with a fixed lateness).
  public let probe: SchedulingProbe

  public init(slack: Double = 1, probe: SchedulingProbe = SchedulingProbe()) {
    self.slack = max(1, slack)
    self.probe = probe
  }

  /// One command's recorded and actual output.
  public struct CommandOutcome: Sendable {
    public let command: RecordedCommand
    /// What it printed now, normalized as a recording writes it.
    public let actual: [String]
    public let match: MatchResult
    /// The session's prompt when the command was typed: a lesson's example typed behind
    /// `scopelab ID 2/6> ` must be typed at step 2.
    public let prompt: String
    /// How far its timing windows' late edges moved for a busy machine.
    public var widening: Duration = .zero

    /// Whether the file's prompt is the session's.
    public var promptMatches: Bool { command.prompt == prompt }
  }

  /// One file's check.
  public struct FileOutcome: Sendable {
    public let document: TranscriptDocument
    public let commands: [CommandOutcome]
    public let elapsed: Duration

    public var passed: Bool { commands.allSatisfy { $0.match.isMatch && $0.promptMatches } }
    public var failures: [CommandOutcome] { commands.filter { !$0.match.isMatch } }
    /// The most any command's late edges moved for a busy machine.
    public var widening: Duration { commands.map(\.widening).max() ?? .zero }
  }

  /// The output of a command that was cut short: its last line matches any line that
  /// begins with it, and any lines may follow.
  static func cutShort(_ output: [ExpectedLine], lineAfter: Int) -> [ExpectedLine] {
    var output = output
    if var last = output.popLast() {
      last.text += "[..]"
      output.append(last)
    }
    return output + [ExpectedLine(text: "...", lineNumber: lineAfter)]
  }

  /// Matches `actual` against `expected`, timeline pictures by their shape
  /// (``TimelineShape``): the result's indices are the lines' own.
  static func compare(
    _ expected: [ExpectedLine], _ actual: [String], with matcher: OutputMatcher
  ) -> MatchResult {
    let shapes = TimelineShape.comparable(expected.map(\.text))
    let comparable = zip(expected, shapes).map { ExpectedLine(text: $1, lineNumber: $0.lineNumber) }
    let actualShapes = TimelineShape.comparable(actual)
    var result = matcher.match(expected: comparable, actual: actualShapes)
    // A line written in place of a picture's line is the line as drawn, not its shape.
    result.steps = result.steps.map { step in
      guard case .replaced(let index, let line, _) = step,
        shapes[index] != expected[index].text || actualShapes[line] != actual[line]
      else { return step }
      return .replaced(expected: index, actual: line, written: actual[line])
    }
    return result
  }

  /// What a command printed, as the lines a recording writes: split at line breaks,
  /// colour codes stripped, process ids masked.
  static func lines(of printed: String) -> [String] {
    var lines = printed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    let normalizer = OutputNormalizer()
    return lines.map(normalizer.normalize)
  }

  // MARK: - Reports

  /// `ok FILE (3 commands, 1.2s)`, or `FAIL FILE`, one diff against the file's own line
  /// numbers and a line for each timing outside its window. When the machine was busy,
  /// how far the late edges moved: `ok FILE (7 commands, 3.1s; the machine was busy: late
  /// edges widened by up to 180 ms)`.
  public static func report(_ outcome: FileOutcome, file: String) -> String {
    let name = file.controlCharactersEscaped
    let busy = outcome.widening > .zero ? SchedulingProbe.describe(outcome.widening) : nil
    guard !outcome.passed else {
      let count = outcome.commands.count
      return "ok \(name) (\(count) command\(count == 1 ? "" : "s"), "
        + "\(formatSeconds(outcome.elapsed, digits: 1))\(busy.map { "; " + $0 } ?? ""))\n"
    }
    // The diff's headers only above a diff: a file wrong only in its prompts has none.
    var text =
      "FAIL \(name)\n" + (outcome.failures.isEmpty ? "" : "--- \(name)\n+++ \(name).actual\n")
    var shift = 0
    var problems: [String] = []
    for command in outcome.commands {
      defer { shift += command.match.lineCountChange }
      guard !command.match.isMatch else { continue }
      text += UnifiedDiff.hunks(
        expected: command.command.output, actual: command.actual, result: command.match,
        outputStartLine: command.command.outputLines.lowerBound, lineShift: shift)
      problems += command.match.timingProblems
    }
    for command in outcome.commands where !command.promptMatches {
      problems.append(
        "line \(command.command.lineNumber): typed behind '\(command.command.prompt.controlCharactersEscaped)', "
          + "but the prompt was '\(command.prompt.controlCharactersEscaped)'")
    }
    if let busy { problems.append(busy) }
    return text + problems.map { $0 + "\n" }.joined()
  }

  /// What `FILE.actual` holds after a mismatch: the file as `--bless` would write it, so
  /// the diff's `+` side numbers its lines.
  public static func actualText(_ outcome: FileOutcome) -> String {
    blessedText(outcome)
  }

  /// The file with only the lines that no longer match rewritten (`--bless`): a line that
  /// still matches - a pattern, a hand-written timing inside its window - keeps its bytes.
  public static func blessedText(_ outcome: FileOutcome) -> String {
    let document = outcome.document
    let prompts = outcome.commands.filter { !$0.promptMatches }.map { wrong in
      let line = wrong.command.lineNumber
      let typed = document.line(line).dropFirst(wrong.command.prompt.count)
      return TranscriptDocument.LineEdit(range: line..<(line + 1), lines: [wrong.prompt + typed])
    }
    return document.edited(
      prompts
        + outcome.failures.map { failure in
          let expected = failure.command.output
          var lines: [String] = []
          for step in failure.match.steps {
            switch step {
            case .matched(let index, _), .ellipsis(let index, _):
              lines.append(document.line(expected[index].lineNumber))
            case .replaced(_, _, let written):
              lines.append(TranscriptParser.writtenOutputLine(written))
            case .missing:
              continue
            case .extra(let index):
              lines.append(TranscriptParser.writtenOutputLine(failure.actual[index]))
            }
          }
          return .init(range: failure.command.outputLines, lines: lines)
        })
  }
}
