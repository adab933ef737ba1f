import LineEditor

/// The REPL on the process's terminal or pipes: the right line reader, the signals, the
/// session, the greeting, then the loop.
public struct Repl {
  /// `--lesson NAME`: the lesson to open at.
  public var lesson: String?
  /// `--record FILE`: the transcript to record from the first command; `--force`.
  public var record: String?
  public var force = false
  public var color: ColorChoice = .auto

  public init() {}

  /// Runs the REPL to the end of its input; the exit status.
  public func run() async -> Int32 {
    let output = StandardOutput(.output)
    let interactive = Terminal.isInteractive
    let reader: any LineReader
    if interactive, let editor = EditLineReader(program: "scopelab") {
      reader = editor
    } else {
      reader = PlainLineReader()
      Signals.shared.catchInterrupts()
    }
    let interrupts = Signals.shared.interrupts()
    let environment = ProcessEnvironment.current()
    let palette = Palette.decide(
      choice: color, isTerminal: output.isTerminal, environment: environment)
    let controller = RunController.quittingOnThirdPress()
    let progress: any ProgressStore = ProgressFile.standard() ?? MemoryProgressStore()
    let session = Session(
      output: output, errors: StandardOutput(.error), palette: palette, controller: controller,
      lessons: LessonGuide(store: progress), transcripts: RecordAndReplay(),
      timelineWidth: { TimelineWidth.of(1) },
      textWidth: { TextWidth.of(1) }, errorWidth: { TextWidth.onTerminal(2) },
      screenWidth: { TextWidth.onTerminal(1) })
    session.codeDirectory = StateDirectory.path(of: "code")
    session.pager = Pager.decide(
      environment: environment, terminals: interactive && output.isTerminal,
      screen: { Terminal.size(of: 1) })
    if let warning = session.lessonWarning {
      StandardOutput(.error).write(warning.controlCharactersEscapedButLineBreaks + "\n")
    }
    let stopped = StopSignal(controller: controller) { reader.close() }
    defer { stopped.stop() }
    if interactive {
      output.write(
        session.fitted(
          "scopelab \(ScopeLabVersion.current) - type 'help' for the commands, Ctrl-D to quit\n"))
      if lesson == nil, let greeting = session.lessonGreeting {
        output.write(session.fitted(greeting) + "\n")
      }
      session.confirmation = Session.asking(on: reader, output: session.tap.plainOutput)
    }
    var openFailed = false
    if let lesson {
      // The typed command, not a line made up to be parsed again: a file name keeps its
      // spaces, and `history` lists only what was typed (as for `--record`).
      let name = lesson.trimmingSpaces()
      openFailed = await session.perform(.lesson(name.isEmpty ? nil : name)) == .invalid
    }
    if let record {
      // Recording was asked for: without it, do not run the commands unrecorded.
      let hint = "scopelab --record \(record) --force"
      _ = await session.startRecording(to: record, force: force, overwriteHint: hint)
      guard session.isRecording else {
        reader.close()
        return 2
      }
    }
    let status = await ReplLoop(
      session: session, reader: reader, showsPrompt: interactive, interrupts: interrupts
    ).run()
    if let number = stopped.signal { return 128 + number }
    if interactive { output.write("\n") }
    // In a pipe, a lesson that does not open is invalid input like any other command.
    return openFailed && !interactive && status == 0 ? 2 : status
  }
}
