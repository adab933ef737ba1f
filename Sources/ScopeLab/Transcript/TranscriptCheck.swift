import AsyncScope

/// `replay --check`: runs every command of a transcript in a fresh session, as fast as it
/// can (pauses ignored), and compares what each printed with what the file says.
public struct TranscriptCheck: Sendable {
  /// Widens only the late side of timing windows (`--slack F`, at least 1).
  public let slack: Double

  public init(slack: Double = 1) {
    self.slack = max(1, slack)
  }

  /// One command's recorded and actual output.
  public struct CommandOutcome: Sendable {
    public let command: RecordedCommand
    /// What it printed now, normalized as a recording writes it.
    public let actual: [String]
    public let match: MatchResult
  }

  /// One file's check.
  public struct FileOutcome: Sendable {
    public let document: TranscriptDocument
    public let commands: [CommandOutcome]
    public let elapsed: Duration

    public var passed: Bool { commands.allSatisfy(\.match.isMatch) }
    public var failures: [CommandOutcome] { commands.filter { !$0.match.isMatch } }
  }

  /// Runs `document`'s commands in a fresh session and compares their output.
  ///
  /// - Throws: when the session the file starts in cannot be set up (a lesson that does
  ///   not exist, a parameter that cannot be set).
  public func run(_ document: TranscriptDocument) async throws(TranscriptError) -> FileOutcome {
    let clock = ContinuousClock()
    let start = clock.now
    let captured = CapturedOutput()
    let session = Session(output: captured, errors: captured)
    try await TranscriptState.restore(document, in: session)
    let matcher = OutputMatcher(slack: slack)
    var outcomes: [CommandOutcome] = []
    var seen = captured.text.count
    commands: for block in document.blocks {
      for command in block.commands {
        let result = await session.execute(command.text)
        let text = captured.text
        let printed = String(text.dropFirst(seen))
        seen = text.count
        let actual = OutputNormalizer.lines(of: printed)
        outcomes.append(
          CommandOutcome(
            command: command, actual: actual,
            match: matcher.match(expected: command.output, actual: actual)))
        if result == .quit { break commands }
      }
    }
    return FileOutcome(
      document: document, commands: outcomes, elapsed: start.duration(to: clock.now))
  }

  // MARK: - Reports

  /// `ok FILE (3 commands, 1.2s)` or `FAIL FILE`, then for a failure each diff and each
  /// timing outside its window.
  public static func report(_ outcome: FileOutcome, file: String) -> String {
    let name = file.controlCharactersEscaped
    guard !outcome.passed else {
      let count = outcome.commands.count
      return "ok \(name) (\(count) command\(count == 1 ? "" : "s"), "
        + "\(formatSeconds(outcome.elapsed, digits: 1)))\n"
    }
    var text = "FAIL \(name)\n"
    for failure in outcome.failures {
      text += UnifiedDiff.render(
        expected: failure.command.output, actual: failure.actual, result: failure.match,
        fileName: name)
      for problem in failure.match.timingProblems { text += problem + "\n" }
    }
    return text
  }

  /// The file with every command's output replaced by what it printed now: `FILE.actual`.
  public static func actualText(_ outcome: FileOutcome) -> String {
    outcome.document.edited(
      outcome.commands.map { command in
        .init(range: command.command.outputLines, lines: command.actual.map(escapedOutputLine))
      })
  }

  /// The file with only the lines that no longer match rewritten (`--bless`): a line that
  /// still matches - a pattern, a hand-written timing inside its window - stays as written.
  public static func blessedText(_ outcome: FileOutcome) -> String {
    outcome.document.edited(
      outcome.failures.map { failure in
        let expected = failure.command.output
        var lines: [String] = []
        var lastExpected: Int?
        for (actualIndex, actual) in failure.actual.enumerated() {
          guard let expectedIndex = failure.match.expectedIndex(forActual: actualIndex) else {
            lines.append(escapedOutputLine(actual))
            continue
          }
          // A `...` line stands for several actual lines: keep it once.
          if expectedIndex != lastExpected {
            lines.append(outcome.document.line(expected[expectedIndex].lineNumber))
          }
          lastExpected = expectedIndex
        }
        return .init(range: failure.command.outputLines, lines: lines)
      })
  }

  /// An output line as a file writes it: `%` at its start doubled, so it is no directive.
  static func escapedOutputLine(_ line: String) -> String {
    line.first == TranscriptParser.directive ? String(TranscriptParser.directive) + line : line
  }
}
