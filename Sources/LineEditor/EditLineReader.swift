import PosixThread
import Synchronization

/// A line reader for a terminal, backed by libedit.
///
/// Emacs key bindings (then `~/.editrc`, so users can change them), UTF-8
/// editing, history recall with the arrows and Ctrl-R search, Tab completion
/// through a ``CompletionProvider``, and a history file that persists across
/// sessions. Ctrl-C at the prompt clears the line (``LineInput/interrupted``);
/// Ctrl-D on an empty line is end of input (`nil`).
///
/// `el_gets` blocks, so every libedit call runs on a thread this reader owns;
/// `readLine` suspends the caller until that thread has a line. Creating the
/// reader catches Ctrl-C for the process (see ``Signals``): a Ctrl-C
/// that arrives while no line is being read goes to ``Signals/interrupts()``.
///
/// Call ``close()`` (or let the reader go) to run `el_end`; from a fatal-signal
/// handler, call ``Terminal/restore()`` instead.
public final class EditLineReader: LineReader {
  private let session: EditLineSession
  private let worker: WorkerThread

  /// Opens libedit on standard input and output.
  ///
  /// - Parameters:
  ///   - program: The name `~/.editrc` settings are matched against (`scopelab:bind ...`).
  ///   - historyFile: Where history is loaded from and saved to; `nil` keeps it in memory.
  ///   - warn: Called at most once when the history cannot be saved: here, when the
  ///     file cannot be read whole (it is then left alone), or later on the reader's
  ///     thread when a save fails. `nil` prints the warning's one line to standard error.
  /// - Returns: `nil` if libedit or the reader's thread cannot be set up (for
  ///   instance when standard input is not a terminal).
  public init?(
    program: String = "scopelab",
    historyFile: HistoryFile? = HistoryFile.standard(),
    warn: (@Sendable (HistoryWarning) -> Void)? = nil
  ) {
    let warn = warn ?? { Syscall.writeAll(2, "\($0)\n") }
    guard Terminal.isInteractive, Signals.shared.catchInterrupts(),
      let session = EditLineSession(program: program, historyFile: historyFile, warn: warn)
    else { return nil }
    guard let worker = WorkerThread() else {
      session.end()
      return nil
    }
    self.session = session
    self.worker = worker
  }

  deinit {
    close()
  }

  /// Shows `prompt` and lets the user edit a line. `nil` at end of input (Ctrl-D
  /// on an empty line), after ``close()``, or when the calling task is cancelled.
  public func readLine(prompt: String) async -> LineInput? {
    let cancelled = CallFlag()
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        let accepted = worker.enqueue { [session] in
          continuation.resume(returning: session.read(prompt: prompt, cancelled: cancelled))
        }
        if !accepted { continuation.resume(returning: nil) }
      }
    } onCancel: { [session] in
      cancelled.set()
      session.wake.post(.cancel)
    }
  }

  /// Adds a line to the history (deduplicated) and saves it to the history file.
  public func addHistory(_ line: String) {
    worker.enqueue { [session] in session.addHistory(line) }
  }

  /// The history, oldest first, as of the last ``addHistory(_:)`` that was saved.
  public var history: [String] {
    session.historySnapshot.withLock { $0 }
  }

  /// Whether the terminal has input not read yet: after a line of a paste, the paste's
  /// next line (the terminal is back in canonical mode between reads, so `poll(2)` sees
  /// a whole line).
  public var hasPendingInput: Bool {
    Syscall.hasInputNow(session.input.fd)
  }

  /// Sets what Tab completes.
  public func setCompletionProvider(_ provider: CompletionProvider?) {
    session.completion.withLock { $0 = provider }
  }

  /// Ends a pending read (it returns `nil`), runs `el_end` and stops the thread.
  /// Idempotent; blocks only until the reader's thread has finished.
  public func close() {
    guard !session.closing.exchange(true, ordering: .acquiringAndReleasing) else { return }
    session.wake.post(.cancel)
    worker.enqueue { [session] in session.end() }
    worker.stop()
  }
}
