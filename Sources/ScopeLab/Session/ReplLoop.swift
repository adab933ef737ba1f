public import LineEditor

/// The REPL: reads lines from a ``LineReader`` and hands them to a ``Session`` until
/// `quit`, Ctrl-D or the end of a pipe.
///
/// Ctrl-C at the prompt is the reader's business (it clears the line); Ctrl-C during a
/// run arrives through ``Interrupts`` and goes to the session's ``RunController``.
public struct ReplLoop {
  public let session: Session
  public let reader: any LineReader
  /// Whether to show the prompt (a terminal) or read silently (a pipe).
  public let showsPrompt: Bool
  public let interrupts: AsyncStream<Void>?

  public init(
    session: Session,
    reader: any LineReader,
    showsPrompt: Bool,
    interrupts: AsyncStream<Void>? = nil
  ) {
    self.session = session
    self.reader = reader
    self.showsPrompt = showsPrompt
    self.interrupts = interrupts
  }

  /// Runs until the end; returns the exit status: 0, or 2 if any command was invalid.
  public func run() async -> Int32 {
    let controller = session.controller
    // At a terminal the driver has echoed `^C`; end that line before the trace goes on.
    let echoNewline = showsPrompt
    let output = session.output
    let listener = interrupts.map { stream in
      Task {
        for await _ in stream {
          if echoNewline { output.write("\n") }
          controller.interrupt()
        }
      }
    }
    defer { listener?.cancel() }
    var anyInvalid = false
    loop: while true {
      // Refreshed before every prompt: a lesson may have declared parameters since.
      reader.setCompletionProvider { [completion = session.completion] request in
        completion.candidates(for: request)
      }
      guard let input = await reader.readLine(prompt: showsPrompt ? session.prompt : "") else {
        break
      }
      switch input {
      case .line(let line):
        reader.addHistory(line)
        switch await session.execute(line) {
        case .done: continue
        case .invalid: anyInvalid = true
        case .quit: break loop
        }
      case .interrupted:
        continue
      case .invalid(let problem):
        session.errors.write("error: \(problem)\n")
        anyInvalid = true
      }
    }
    reader.close()
    return anyInvalid ? 2 : 0
  }
}
