import Synchronization

/// A line reader fed from a list, for testing sessions.
///
/// Hands out its inputs in order, then `nil`. Records the prompts it was shown
/// and the history it was given, and runs the completion provider on demand, so
/// a test can check what a session asked for.
public final class ScriptedLineReader: LineReader {
  private struct State {
    var inputs: [LineInput]
    var next = 0
    var prompts: [String] = []
    var history = HistoryList()
    var completion: CompletionProvider?
    var closed = false
  }

  private let state: Mutex<State>

  /// A reader that returns each string as a ``LineInput/line(_:)``.
  public convenience init(_ lines: [String]) {
    self.init(inputs: lines.map(LineInput.line))
  }

  /// A reader that returns these inputs in order (to script Ctrl-C or invalid lines).
  public init(inputs: [LineInput]) {
    state = Mutex(State(inputs: inputs))
  }

  /// The next scripted input; `nil` when they are used up or the reader is closed.
  public func readLine(prompt: String) async -> LineInput? {
    state.withLock { state in
      state.prompts.append(prompt)
      guard !state.closed, state.next < state.inputs.count else { return nil }
      defer { state.next += 1 }
      return state.inputs[state.next]
    }
  }

  /// Adds a line to the in-memory history.
  public func addHistory(_ line: String) {
    state.withLock { $0.history.append(line) }
  }

  /// The history, oldest first.
  public var history: [String] {
    state.withLock { $0.history.entries }
  }

  /// Whether scripted inputs are left: a script is all typed ahead, as a paste is.
  public var hasPendingInput: Bool {
    state.withLock { !$0.closed && $0.next < $0.inputs.count }
  }

  /// Stores the provider for ``complete(_:)``.
  public func setCompletionProvider(_ provider: CompletionProvider?) {
    state.withLock { $0.completion = provider }
  }

  /// Marks the reader closed: further reads return `nil`.
  public func close() {
    state.withLock { $0.closed = true }
  }

  /// The prompts shown so far, in order (one per `readLine` call).
  public var prompts: [String] {
    state.withLock { $0.prompts }
  }

  /// Whether ``close()`` was called.
  public var isClosed: Bool {
    state.withLock { $0.closed }
  }

  /// What the completion provider offers for a line typed up to the cursor;
  /// empty without a provider.
  public func complete(_ textBeforeCursor: String) -> [String] {
    let provider = state.withLock { $0.completion }
    return provider?(CompletionRequest(textBeforeCursor: textBeforeCursor)) ?? []
  }
}
