import PosixThread
import Synchronization

/// The libedit state of one ``EditLineReader``, confined to its worker thread.
///
/// Everything but ``wake``, ``closing`` and the locked properties is touched only
/// on the worker thread (jobs and the C callbacks that `el_gets` makes), which is
/// why the class may be `@unchecked Sendable`.
final class EditLineSession: @unchecked Sendable {
  let wake: WakePipe
  /// Where the character reader reads keys from.
  let input = TerminalInput()
  let closing = Atomic<Bool>(false)
  let completion = Mutex<CompletionProvider?>(nil)
  let historySnapshot = Mutex<[String]>([])

  private var handle: EditLineHandle?
  private var historyList: HistoryList
  private let historyFile: HistoryFile?
  private let warn: @Sendable (HistoryWarning) -> Void
  private var warned = false

  /// The prompt libedit shows, kept alive as a C string while `el_gets` runs.
  private(set) var prompt: UnsafeMutablePointer<CChar>?
  /// Bytes of a multibyte character read so far.
  var pendingBytes: [CChar] = []
  /// Set by the character reader when Ctrl-C or a cancellation ended the read.
  var wokenBy: WakePipe.Reason?
  /// The cancellation flag of the `readLine` call being served.
  var callCancelled: CallFlag?

  init?(
    program: String, historyFile: HistoryFile?,
    warn: @escaping @Sendable (HistoryWarning) -> Void
  ) {
    guard let wake = WakePipe() else { return nil }
    self.wake = wake
    self.historyFile = historyFile
    self.warn = warn
    let capacity = historyFile?.capacity ?? 1000
    let loaded = historyFile?.read()
    historyList = HistoryList(loaded?.entries ?? [], capacity: capacity)
    // A file that cannot be used whole is said once, now, and then left alone.
    if let warning = loaded?.warning {
      warned = true
      warn(warning)
    }
    CharacterLocale.ensureUTF8()
    Terminal.saveState()
    guard let handle = EditLineHandle(program: program) else { return nil }
    self.handle = handle
    configure(handle, capacity: capacity)
    historySnapshot.withLock { $0 = historyList.entries }
  }

  deinit {
    Syscall.freeCString(prompt)
  }

  private func configure(_ handle: EditLineHandle, capacity: Int) {
    handle.setClientData(Unmanaged.passUnretained(self).toOpaque())
    handle.disableSignalHandling()
    handle.setEditor("emacs")
    handle.setPrompt(editLinePrompt)
    handle.setCharacterReader(editLineReadCharacter)
    handle.attachHistory(capacity: capacity)
    handle.replaceHistory(with: historyList.entries)
    handle.addFunction("scopelab-complete", help: "Complete the word", editLineComplete)
    handle.bind("^R", to: "em-inc-search-prev")
    handle.bind("^I", to: "scopelab-complete")
    handle.sourceUserSettings()
    // Bound again after ~/.editrc so that completion survives `bind -v`.
    handle.bind("^I", to: "scopelab-complete")
  }

  /// Reads one line with libedit. Runs on the worker thread.
  func read(prompt text: String, cancelled: CallFlag) -> LineInput? {
    guard let handle, !closing.load(ordering: .acquiring) else { return nil }
    _ = wake.drain()
    guard !cancelled.isSet else { return nil }
    Syscall.freeCString(prompt)
    prompt = Syscall.duplicateCString(text)
    callCancelled = cancelled
    wokenBy = nil
    pendingBytes = []
    Signals.routeToPrompt(wake)
    handle.enterRawMode()
    let (line, _) = handle.getLine()
    Signals.routeToPrompt(nil)
    callCancelled = nil
    if let line {
      return .line(line.hasSuffix("\n") ? String(line.dropLast()) : line)
    }
    if wokenBy == .interrupt {
      Syscall.writeAll(1, "^C\n")
      return .interrupted
    }
    Syscall.writeAll(1, "\n")
    return nil
  }

  /// Adds a line to libedit's history and the history file. Worker thread.
  func addHistory(_ line: String) {
    guard HistoryList.isRecordable(line) else { return }
    historyList.append(line)
    handle?.replaceHistory(with: historyList.entries)
    historySnapshot.withLock { $0 = historyList.entries }
    if let warning = historyFile?.append([line]), !warned {
      warned = true
      warn(warning)
    }
  }

  /// `el_end`: restores the terminal. Worker thread; idempotent.
  func end() {
    handle?.end()
    handle = nil
  }
}

/// A flag set when the task awaiting a line is cancelled.
final class CallFlag: Sendable {
  private let flag = Atomic<Bool>(false)
  var isSet: Bool { flag.load(ordering: .acquiring) }
  func set() { flag.store(true, ordering: .releasing) }
}

/// Standard input's terminal, for the character reader: a descriptor of its own with
/// `O_NONBLOCK`, so that a `read(2)` never blocks.
///
/// `poll(2)` can report a key that is gone by the time `read(2)` runs: Ctrl-C makes the
/// terminal driver discard the input not yet read (`ISIG` without `NOFLSH`) - type
/// `abc` and Ctrl-C the moment the first prompt shows, and `poll` may have woken for
/// `a`. A blocking read on standard input would then wait for the next key, deaf to the
/// wake pipe, and the Ctrl-C would go unanswered: no `^C`, no new prompt. A read that
/// fails with EAGAIN goes back to `poll`, which sees the wake pipe.
///
/// Standard input itself stays blocking: its file description is shared with the shell
/// (`O_NONBLOCK` there would outlive scopelab). Where no second descriptor can be
/// opened (the terminal's device is not ours to open), the reader falls back to
/// standard input and that rare race.
final class TerminalInput: Sendable {
  let fd: CInt
  /// Whether ``fd`` is our own non-blocking descriptor (not standard input).
  let isOwn: Bool

  /// Opens a reader of `terminal`'s terminal (standard input by default).
  init(terminal: CInt = 0) {
    if let fd = Syscall.openNonBlockingReader(ofTerminal: terminal) {
      self.fd = fd
      isOwn = true
    } else {
      fd = terminal
      isOwn = false
    }
  }

  deinit {
    if isOwn { Syscall.close(fd) }
  }
}
