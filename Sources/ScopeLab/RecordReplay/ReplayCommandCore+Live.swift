import AsyncScope

extension ReplayCommandCore {
  /// The pause between typed characters at speed 1, and the most a command's typing takes.
  static let keystroke = Duration.milliseconds(30)
  static let longestTyping = Duration.milliseconds(1500)

  /// Live replay: each command shown as if typed behind its prompt, after its recorded
  /// pause, then run for real, its trace live.
  func play(
    _ document: TranscriptDocument, file: String, consent: Consent, output: any TextOutput,
    errors: any TextOutput, palette: Palette, width: Int, controller: RunController,
    pause: @escaping @Sendable (Duration) async -> Void
  ) async throws(TranscriptError) {
    let cast = try makeCast(title: file)
    defer { cast?.close() }
    // The cast's width is the one to draw at when --size gives it.
    let width = size == nil ? width : castSize.columns
    // Prose at the fixed width a recording is checked at, or the cast's.
    let textWidth = size == nil ? TextLayout.transcriptWidth : castSize.columns
    let screen = GatedOutput(cast.map { TeeOutput([output, $0]) } ?? output)
    let errorScreen = GatedOutput(cast.map { TeeOutput([errors, $0]) } ?? errors)
    let session = Session(
      output: screen, errors: errorScreen, palette: palette, controller: controller,
      transcripts: RecordAndReplay(), timelineWidth: { width }, textWidth: { textWidth })
    session.consent = consent
    session.fileBase = document.folder
    screen.muted = true
    errorScreen.muted = true
    let steps = try TranscriptState.lessonSteps(document, in: session)
    try await TranscriptState.restore(document, in: session)
    screen.muted = false
    errorScreen.muted = false
    blocks: for (index, block) in document.blocks.enumerated() {
      if let steps, let lesson = session.openLesson {
        session.place(in: lesson, step: steps[index])
      }
      for command in block.commands {
        if let wait = command.wait { await pause(pauseLength(wait)) }
        await type(command, on: screen, palette: palette, pause: pause)
        let echo: @Sendable () -> Void = { screen.write("^C\n") }
        if await session.execute(recorded: command, pressed: echo) == .quit { break blocks }
        // Ctrl-C during a run (the person's, not the transcript's) ends that run, and the
        // replay with it.
        if controller.wasInterruptedFromOutside {
          throw TranscriptError(
            file: file, line: command.lineNumber, message: "replay interrupted at this command")
        }
      }
    }
    try checkWritten(cast)
  }

  /// Shows the command behind its prompt a key at a time.
  func type(
    _ command: RecordedCommand, on screen: any TextOutput, palette: Palette,
    pause: @Sendable (Duration) async -> Void
  ) async {
    let characters = command.lines.reduce(0) { $0 + $1.count }
    let perKey = min(Self.keystroke, Self.longestTyping / max(1, characters)) / speed
    for (index, line) in command.lines.enumerated() {
      let prompt = index == 0 ? command.prompt : TranscriptParser.continuationPrompt
      screen.write(palette.bold(prompt.controlCharactersEscaped))
      for character in line.controlCharactersEscaped {
        screen.write(String(character))
        if perKey > .zero { await pause(perKey) }
      }
      screen.write("\n")
    }
  }
}

/// A text output that can be silenced for a while (restoring a transcript's state).
final class GatedOutput: TextOutput {
  private let target: any TextOutput
  private let gate = Locked(false)

  init(_ target: any TextOutput) {
    self.target = target
  }

  var muted: Bool {
    get { gate.withLock { $0 } }
    set { gate.withLock { $0 = newValue } }
  }

  func write(_ text: String) {
    guard !muted else { return }
    target.write(text)
  }
}

/// Writes the same text to several outputs, in order.
struct TeeOutput: TextOutput {
  let targets: [any TextOutput]

  init(_ targets: [any TextOutput]) {
    self.targets = targets
  }

  func write(_ text: String) {
    for target in targets { target.write(text) }
  }
}
