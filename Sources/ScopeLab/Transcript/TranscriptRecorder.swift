import AsyncScope
import LineEditor

/// Writes a session to a transcript file as it happens: the front matter at once, then
/// each command behind its prompt, then each line of output the moment it is complete.
///
/// ````
/// ---
/// scopelab: transcript
/// set: sleep=3s
/// ---
///
/// ```scopelab
/// scopelab> timeout 1 {
/// ...> print hi }
///   0.000s  enter timeout#1
/// ...
/// ```
/// ````
///
/// Output lines are normalized (``OutputNormalizer``: no escape sequences, `pid [PID]`),
/// and one that starts with `%` gets another `%` in front, so that it cannot be read as
/// a directive such as `% wait: 1.2s`. Nothing is held back but an unfinished line: each
/// line goes to the file with `write(2)` as it comes, so a `kill -9` loses nothing that
/// was already shown. ``finish()`` writes the closing fence.
///
/// A Ctrl-C during a command's run (``interrupted()``) is kept with its moment, seconds
/// after the command was typed, and written after the command's output as
/// `% interrupt: 2.03s`: replay presses Ctrl-C at that moment again.
///
/// Thread-safe: a run's trace lines arrive from other threads while the session waits.
public final class TranscriptRecorder: TextOutput {
  /// The line that opens the session's block, and the one that closes it.
  public static let openingFence = "```scopelab"
  public static let closingFence = "```"
  /// A pause before a command longer than this is written as `% wait: N.Ns`.
  public static let waitThreshold = Duration.seconds(1)

  private struct State {
    var file: RegularFile.Output?
    /// Output written since the last line break.
    var pending = ""
    var commands = 0
    var failure: OutputFileError?
    /// When the last command was written, and the Ctrl-Cs during it not yet written.
    var commandStart: ContinuousClock.Instant?
    var interrupts: [Duration] = []
  }

  public let path: String
  private let state: Locked<State>
  private let normalizer = OutputNormalizer()

  /// Creates `path` and writes the front matter and the opening fence to it.
  ///
  /// - Parameter overwrite: Replace a file that is already there; without it an
  ///   existing file is an error (``OutputFileError/exists``), checked by
  ///   `open(2)` itself (`O_EXCL`).
  public init(
    creating path: String, header: TranscriptHeader, overwrite: Bool
  ) throws(OutputFileError) {
    let file = try RegularFile.Output(creating: path, overwrite: overwrite)
    if let problem = file.write(header.text + "\n" + Self.openingFence + "\n") {
      file.close()
      throw OutputFileError(path: path, problem: problem, writing: true)
    }
    self.path = path
    state = Locked(State(file: file))
    Self.open.withLock { $0[ObjectIdentifier(self)] = self }
  }

  deinit {
    state.withLock { $0.file?.close() }
  }

  /// How many commands have been written.
  public var commandCount: Int { state.withLock { $0.commands } }

  /// Why writing stopped, if a write failed; nothing more is written after one.
  public var failure: OutputFileError? { state.withLock { $0.failure } }

  /// Whether ``finish()`` has been called (or a write failed).
  public var isFinished: Bool { state.withLock { $0.file == nil } }

  /// Writes one command as the user saw it: `% wait: N.Ns` if it came more than a second
  /// after its prompt, its first line behind `prompt`, and each further line behind
  /// `...> `. An unfinished line of output before it is ended first.
  public func command(prompt: String, lines: [String], wait: Duration) {
    var text = ""
    if let waitLine = Self.waitLine(wait) { text += waitLine + "\n" }
    for (index, line) in lines.enumerated() {
      text += (index == 0 ? prompt : ContinuationScanner.prompt) + line + "\n"
    }
    state.withLock { state in
      guard state.file != nil else { return }
      state.commands += 1
      flushPending(&state)
      write(text, &state)
      state.commandStart = ContinuousClock.now
    }
  }

  /// Ctrl-C during the last command's run: written as `% interrupt: N.NNs` once its output
  /// has ended (at the next command, or ``finish()``).
  public func interrupted() {
    state.withLock { state in
      guard state.file != nil, let start = state.commandStart else { return }
      state.interrupts.append(start.duration(to: ContinuousClock.now))
    }
  }

  /// Takes output as it is printed, on either stream, in the order it was printed; each
  /// line is written once its line break comes.
  public func output(_ text: String) {
    state.withLock { state in
      guard state.file != nil else { return }
      state.pending += text
      guard let lastBreak = state.pending.lastIndex(of: "\n") else { return }
      let complete = state.pending[..<lastBreak]
      let lines = complete.split(separator: "\n", omittingEmptySubsequences: false)
      state.pending = String(state.pending[state.pending.index(after: lastBreak)...])
      write(lines.map { transcriptLine(String($0)) + "\n" }.joined(), &state)
    }
  }

  /// Ends an unfinished line, writes the closing fence and closes the file; returns how
  /// many commands were written. Later calls (and output) do nothing.
  @discardableResult
  public func finish() -> Int {
    let commands = state.withLock { state in
      flushPending(&state)
      write(Self.closingFence + "\n", &state)
      state.file?.close()
      state.file = nil
      return state.commands
    }
    _ = Self.open.withLock { $0.removeValue(forKey: ObjectIdentifier(self)) }
    return commands
  }

  /// `% wait: 1.2s` for a pause longer than ``waitThreshold``, in tenths of a second.
  public static func waitLine(_ wait: Duration) -> String? {
    guard wait > waitThreshold else { return nil }
    return "% wait: " + formatSeconds(wait, digits: 1)
  }

  /// An output line as the transcript holds it: normalized, and `%` doubled at its start.
  public func transcriptLine(_ line: String) -> String {
    let normalized = normalizer.normalize(line)
    return TranscriptParser.writtenOutputLine(normalized)
  }

  /// Output, as a session's tapped streams write it (``OutputTap``): ``output(_:)``.
  public func write(_ text: String) {
    output(text)
  }

  // MARK: - Every open recorder

  private static let open = Locked<[ObjectIdentifier: TranscriptRecorder]>([:])

  /// Finishes every transcript still open: for a way out that skips the session's own
  /// ending (a second stop signal, a run that would not stop).
  public static func finishAllOpen() {
    let recorders = open.withLock { Array($0.values) }
    for recorder in recorders { recorder.finish() }
  }

  // MARK: - Writing

  /// Ends an unfinished line of output, then writes the Ctrl-Cs kept for the command.
  private func flushPending(_ state: inout State) {
    if !state.pending.isEmpty {
      let line = state.pending
      state.pending = ""
      write(transcriptLine(line) + "\n", &state)
    }
    let interrupts = state.interrupts
    state.interrupts = []
    for moment in interrupts { write(Self.interruptLine(moment) + "\n", &state) }
  }

  /// `% interrupt: 2.03s`, in hundredths of a second.
  public static func interruptLine(_ moment: Duration) -> String {
    "% interrupt: " + formatSeconds(moment, digits: 2)
  }

  private func write(_ text: String, _ state: inout State) {
    guard let file = state.file, !text.isEmpty else { return }
    guard let problem = file.write(text) else { return }
    state.failure = OutputFileError(path: path, problem: problem, writing: true)
    file.close()
    state.file = nil
  }
}
