import PosixThread
import Synchronization

/// A line reader for pipes and files: no prompt, no escape codes, no editing.
///
/// Reads on a thread of its own, so a blocked `read(2)` never holds the
/// cooperative pool. Lines that cannot be commands come back as
/// ``LineInput/invalid(_:)`` - longer than ``maximumLineLength`` bytes (the rest
/// of such a line is skipped, so memory stays bounded), holding a NUL byte, or
/// not UTF-8 - and reading carries on with the next line. History is kept in
/// memory only.
public final class PlainLineReader: LineReader {
  /// The longest line accepted, in bytes (without its "\n").
  public let maximumLineLength: Int

  private let state: PlainReadState
  private let worker: WorkerThread?
  private let historyList = Mutex(HistoryList())
  private let completion = Mutex<CompletionProvider?>(nil)

  /// Reads from `fileDescriptor` (standard input by default); lines longer than
  /// `maximumLineLength` bytes are rejected.
  public init(fileDescriptor: Int32 = 0, maximumLineLength: Int = 65_536) {
    self.maximumLineLength = maximumLineLength
    state = PlainReadState(fd: fileDescriptor, limit: maximumLineLength)
    worker = WorkerThread()
  }

  deinit {
    close()
  }

  /// Reads the next line; the prompt is not shown. `nil` at end of input, after
  /// a read error, after ``close()``, or when the calling task is cancelled.
  public func readLine(prompt: String) async -> LineInput? {
    guard let worker else { return nil }
    let cancelled = CallFlag()
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        let accepted = worker.enqueue { [state] in
          continuation.resume(returning: state.next(cancelled: cancelled))
        }
        if !accepted { continuation.resume(returning: nil) }
      }
    } onCancel: { [state] in
      cancelled.set()
      state.wake?.post(.cancel)
    }
  }

  /// Adds a line to the in-memory history.
  public func addHistory(_ line: String) {
    historyList.withLock { $0.append(line) }
  }

  /// The in-memory history, oldest first.
  public var history: [String] {
    historyList.withLock { $0.entries }
  }

  /// Whether lines are buffered already, or the descriptor has more (or its end) to read.
  public var hasPendingInput: Bool {
    state.buffered.load(ordering: .acquiring) || Syscall.hasInputNow(state.fd)
  }

  /// Kept for the protocol; a pipe has no Tab key.
  public func setCompletionProvider(_ provider: CompletionProvider?) {
    completion.withLock { $0 = provider }
  }

  /// Ends a pending read and stops the reading thread. Does not close the descriptor.
  public func close() {
    guard !state.closing.exchange(true, ordering: .acquiringAndReleasing) else { return }
    state.wake?.post(.cancel)
    worker?.stop()
  }
}

/// The reading state of a ``PlainLineReader``, used only on its worker thread
/// (apart from the atomics and the wake pipe).
final class PlainReadState: @unchecked Sendable {
  let fd: Int32
  let wake = WakePipe()
  let closing = Atomic<Bool>(false)
  /// Whether lines read already wait in ``pending`` or the splitter (set on the worker
  /// thread, read by ``PlainLineReader/hasPendingInput``).
  let buffered = Atomic<Bool>(false)
  private var splitter: LineSplitter
  private var pending: [LineInput] = []
  private var pendingIndex = 0
  private var ended = false
  private var buffer = [UInt8](repeating: 0, count: 65_536)

  init(fd: Int32, limit: Int) {
    self.fd = fd
    splitter = LineSplitter(limit: limit)
  }

  /// The next line, reading more input as needed. Worker thread only.
  func next(cancelled: CallFlag) -> LineInput? {
    _ = wake?.drain()
    while true {
      if closing.load(ordering: .acquiring) || cancelled.isSet { return nil }
      if pendingIndex < pending.count {
        defer { pendingIndex += 1 }
        let more = pendingIndex + 1 < pending.count || splitter.hasPartialLine
        buffered.store(more, ordering: .releasing)
        return pending[pendingIndex]
      }
      pending = []
      pendingIndex = 0
      if ended { return nil }
      readMore()
    }
  }

  /// Waits for input (or a wake-up) and feeds what arrives to the splitter.
  private func readMore() {
    let watched = [fd] + (wake.map { [$0.readFD] } ?? [])
    let polled = Syscall.pollReadable(watched)
    guard case .success(let ready) = polled else {
      if case .failure(let error) = polled, error != .interrupted { finish() }
      return
    }
    if ready.count > 1 && ready[1] { _ = wake?.drain() }
    guard ready[0] else { return }
    let result = buffer.withUnsafeMutableBytes { Syscall.read(fd, into: $0) }
    switch result {
    case .success(let count) where count > 0:
      pending = splitter.feed(buffer[0..<count])
    case .success, .failure:
      finish()
    }
  }

  private func finish() {
    ended = true
    pending = splitter.finish().map { [$0] } ?? []
  }
}
