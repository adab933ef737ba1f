import AsyncScope
public import LineEditor

/// The REPL: reads lines from a ``LineReader`` and hands them to a ``Session`` until
/// `quit`, Ctrl-D or the end of a pipe.
///
/// A command may take several lines (``CommandReader``): they run as one command, and
/// the history gets it once, on one line. Ctrl-C at a continuation prompt drops the whole
/// command; input that ends inside one is an error naming where the block was opened.
///
/// Ctrl-C at the prompt is the reader's business (it clears the line); Ctrl-C during a
/// run arrives through ``LineEditor/Signals`` and goes to the session's ``RunController``.
///
/// While the session records a transcript, each command is written to it as typed
/// (``Session/recordTyped(_:as:)``), and the transcript is finished when the loop ends.
public struct ReplLoop {
  public let session: Session
  public let reader: any LineReader
  /// Whether to show the prompt (a terminal) or read silently (a pipe).
  public let showsPrompt: Bool
  public let interrupts: AsyncStream<Void>?
  /// The time now, to measure how long each command took to come (``TypedCommand``).
  public let now: @Sendable () -> ContinuousClock.Instant

  public init(
    session: Session,
    reader: any LineReader,
    showsPrompt: Bool,
    interrupts: AsyncStream<Void>? = nil,
    now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
  ) {
    self.session = session
    self.reader = reader
    self.showsPrompt = showsPrompt
    self.interrupts = interrupts
    self.now = now
  }

  /// Runs until the end; returns the exit status: 0, 2 if any command was invalid, or 1
  /// if a transcript being recorded could not be written (a full disk).
  public func run() async -> Int32 {
    let controller = session.controller
    // At a terminal the driver has echoed `^C`; end that line before the trace goes on
    // (not a line of the transcript: the `^C` is not in it).
    let echoNewline = showsPrompt
    let output = session.tap.plainOutput
    let tap = session.tap
    let paging = session.isPaging
    let listener = interrupts.map { stream in
      Task {
        for await _ in stream {
          // Not into a pager's screen: the Ctrl-C is the pager's.
          if echoNewline && !paging.withLock({ $0 }) { output.write("\n") }
          // A recording keeps when it came, so a replay presses it again then.
          if controller.isRunning { (tap.sink as? TranscriptRecorder)?.interrupted() }
          controller.interrupt()
        }
      }
    }
    defer { listener?.cancel() }
    var anyInvalid = false
    var commands = CommandReader(reader: reader, showsPrompt: showsPrompt, now: now)
    loop: while true {
      switch await commands.next(prompt: session.prompt, completion: session.completion) {
      case .command(let text, let historyEntry):
        reader.addHistory(historyEntry ?? text)
        // Read once: what is recorded and what runs.
        let parsed = Command.parse(text)
        session.recordTyped(commands.lastTyped, as: parsed)
        switch await session.execute(parsed, line: text, historyEntry: historyEntry) {
        case .done: break
        case .invalid: anyInvalid = true
        case .quit: break loop
        }
        // SIGTERM or SIGHUP ends the session (it closes the reader); a line read ahead
        // after a pasted program is not run.
        if controller.stopSignal != nil { break loop }
      case .interrupted:
        continue
      case .invalid(let problem):
        // Input that is no command: its error belongs to no command of a transcript.
        session.tap.plainErrors.write(
          "error: \(problem.controlCharactersEscapedButLineBreaks)\n")
        anyInvalid = true
      case .ended(let unfinished):
        if let unfinished {
          session.tap.plainErrors.write(
            "error: \(unfinished.controlCharactersEscapedButLineBreaks)\n")
          anyInvalid = true
        }
        break loop
      }
    }
    session.finishRecording()
    reader.close()
    return anyInvalid ? 2 : session.recordingFailed ? 1 : 0
  }
}
