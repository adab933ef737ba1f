import AsyncScope

/// `replay --check`'s run: the transcript's commands in a fresh session.
extension TranscriptCheck {
  /// Runs `document`'s commands in a fresh session and compares their output. The
  /// session may start processes and write files only as far as `consent` allows.
  ///
  /// - Throws: when the session the file starts in cannot be set up (a lesson that does
  ///   not exist, a parameter that cannot be set).
  public func run(
    _ document: TranscriptDocument, consent: Consent
  ) async throws(TranscriptError) -> FileOutcome {
    let clock = ContinuousClock()
    let start = clock.now
    let captured = CapturedOutput()
    let session = Session(output: captured, errors: captured, transcripts: RecordAndReplay())
    session.consent = consent
    session.fileBase = document.folder
    let probe = self.probe
    let steps = try TranscriptState.lessonSteps(document, in: session)
    try await TranscriptState.restore(document, in: session)
    var outcomes: [CommandOutcome] = []
    _ = captured.take()  // what setting up printed is no command's output
    commands: for (index, block) in document.blocks.enumerated() {
      if let steps, let lesson = session.openLesson {
        session.place(in: lesson, step: steps[index])
      }
      for command in block.commands {
        let prompt = session.prompt
        let recorded = command.output.map(\.text)
        session.challengeTiming = {
          ChallengeTiming(lateAllowance: probe.widening, recorded: recorded)
        }
        probe.start()
        let result = await session.execute(recorded: command)
        let widening = SchedulingProbe.widening(forLateness: probe.stop())
        let matcher = OutputMatcher(slack: slack, widening: widening)
        // Only what this command printed: counting into all that came before would
        // make the check quadratic in the number of commands.
        let actual = Self.lines(of: captured.take())
        // The last command of a recording cut short was cut too: what it holds must be
        // the start of what it prints now, its last line perhaps cut mid-line.
        let isCut =
          document.cutShort != nil
          && command.lineNumber == document.blocks.last?.commands.last?.lineNumber
        let expected =
          isCut
          ? Self.cutShort(command.output, lineAfter: document.lines.count + 1) : command.output
        outcomes.append(
          CommandOutcome(
            command: command, actual: actual,
            match: Self.compare(expected, actual, with: matcher), prompt: prompt,
            widening: widening))
        if result == .quit { break commands }
      }
    }
    return FileOutcome(
      document: document, commands: outcomes, elapsed: start.duration(to: clock.now))
  }
}
