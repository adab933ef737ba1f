import AsyncScope
public import LineEditor

/// Reads whole commands from a ``LineReader``: a command goes on over the next lines
/// while its braces or quotes are open or a line ends with a backslash
/// (``ContinuationScanner``), and while it is a program that ends where its next line may
/// bring a block, a `catch` or the scope after a `,` (`try { sleep 1 }`, then
/// `catch { print caught }`). A whole program whose next line has arrived already (a
/// paste) is joined with that line when it goes on with the program: a pasted
/// `try { ... } catch A { ... }` whose next line is `catch B { ... }` is one program.
///
/// The lines after the first are read under ``continuationPrompt`` and joined by line
/// breaks; a command of several lines also comes with its one-line form for the history.
public struct CommandReader {
  /// The prompt for the second and later lines of a command (DESIGN.md).
  public static let continuationPrompt = Command.continuationPrompt

  /// What one command's lines came to.
  public enum Input: Sendable, Equatable {
    /// A whole command; `historyEntry` is its one-line form when it took several lines.
    case command(String, historyEntry: String?)
    /// Ctrl-C at a prompt: the line, and the command it continued, are dropped.
    case interrupted
    /// A line the reader rejected, described; the command it continued is dropped.
    case invalid(String)
    /// The end of input; `unfinished` says how it cut a command short, if it did.
    case ended(unfinished: String?)
  }

  public let reader: any LineReader
  /// Whether to show prompts (a terminal) or read silently (a pipe).
  public let showsPrompt: Bool
  /// How many lines of input have been read.
  public private(set) var lineNumber = 0
  /// The lines of the last command ``next(prompt:completion:)`` returned, as typed, and
  /// how long its first line took to come after its prompt.
  public private(set) var lastTyped = TypedCommand(lines: [])
  /// The time now, to measure how long a line took to come (a test's clock in tests).
  private let now: @Sendable () -> ContinuousClock.Instant
  /// A line read while a program waited for a block or a `catch` that did not come (or
  /// a rejected line read after a whole pasted program): it starts the next command. With
  /// how long it took to come.
  private var carried: (input: LineInput, wait: Duration)?
  /// The scanner of a command rejected as too long whose rest is still to be skipped.
  private var skipping: ContinuationScanner?

  public init(
    reader: any LineReader,
    showsPrompt: Bool,
    now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
  ) {
    self.reader = reader
    self.showsPrompt = showsPrompt
    self.now = now
  }

  /// Reads the next command, showing `prompt` (at a terminal) for its first line and
  /// offering `completion` for every line.
  ///
  /// Each line is scanned once, as it comes (the scanner keeps its state), and a command
  /// that grows past ``maximumCommandBytes`` is rejected as soon as it does: the
  /// rejection is returned at once, and the rest of that command - up to where its
  /// braces and quotes close - is skipped by the next call.
  public mutating func next(prompt: String, completion: SessionCompletion) async -> Input {
    if let skipped = skipping {
      skipping = nil
      if let ending = await skip(skipped, completion: completion) { return ending }
    }
    var lines: [String] = []
    var size = 0
    var scanner = ContinuationScanner()
    var firstWait = Duration.zero
    // Completion sees the lines typed so far. They are shared with it, not captured by
    // value: a captured copy would make each line added copy them all (quadratic).
    let earlier = Locked<[String]>([])
    reader.setCompletionProvider { request in
      completion.candidates(for: request, after: earlier.withLock { $0 })
    }
    // Whether the lines so far are a whole program, and the line being read is one that
    // had arrived already (a paste): it shows the first prompt, as it most often starts
    // the next command.
    var peeking = false
    // Whether the lines so far, every brace and quote closed, wait for a block or a catch.
    var waitsForMore = false
    while true {
      let input: LineInput?
      let wait: Duration
      if let (carriedInput, carriedWait) = carried {
        carried = nil
        input = carriedInput
        wait = carriedWait
      } else {
        let shown = lines.isEmpty || peeking ? prompt : Self.continuationPrompt
        (input, wait) = await read(prompt: shown)
      }
      let peeked = peeking
      peeking = false
      if lines.isEmpty { firstWait = wait }
      guard let input else {
        guard !lines.isEmpty, scanner.unfinished == nil else {
          return .ended(unfinished: scanner.unfinished)
        }
        // It waited for a block or a catch: run it as it is.
        return command(lines, scanner, wait: firstWait)
      }
      switch input {
      case .interrupted where peeked, .invalid where peeked:
        // What came after a whole program is the next command's; the program runs.
        carried = (input, wait)
        return command(lines, scanner, wait: firstWait)
      case .interrupted:
        return .interrupted
      case .invalid(let problem):
        guard lines.isEmpty else {
          let first = lineNumber - lines.count
          return .invalid("\(problem) - the command begun at line \(first) is dropped")
        }
        return .invalid("\(problem)")
      case .line(let line):
        if !lines.isEmpty, scanner.isComplete, !continues(scanner, with: line) {
          carried = (.line(line), wait)
          return command(lines, scanner, wait: firstWait)
        }
        // A blank or comment line after a whole program that waits for more changes
        // nothing: the program is not parsed again (once per line, it would be quadratic).
        let addsNothing = !lines.isEmpty && scanner.isComplete && Self.isBlankOrComment(line)
        size += line.utf8.count + (lines.isEmpty ? 0 : 1)
        scanner.scan(line, lineNumber: lineNumber)
        guard size <= Self.maximumCommandBytes else {
          return tooLong(scanner, firstLine: lineNumber - lines.count)
        }
        lines.append(line)
        earlier.withLock { $0.append(line) }
        guard scanner.isComplete else { continue }
        if !addsNothing { waitsForMore = Session.expectsMoreLines(lines.joined(separator: "\n")) }
        if waitsForMore { continue }
        // A whole program with more input already there - pasted, not typed and ended with
        // Enter: its next line may go on with it (a second `catch`), so read that first.
        if reader.hasPendingInput, Session.programPart(of: lines[0]) != nil {
          peeking = true
          continue
        }
        return command(lines, scanner, wait: firstWait)
      }
    }
  }

  /// Whether `line` holds nothing but spaces and a comment.
  private static func isBlankOrComment(_ line: String) -> Bool {
    let text = line.trimmingSpaces()
    return text.isEmpty || text.hasPrefix("#")
  }

  /// The longest command accepted, in UTF-8 bytes with the line breaks between its
  /// lines: as long as the longest program (``Program/maximumSourceBytes``).
  public static let maximumCommandBytes = Program.maximumSourceBytes

  /// The rejection of a command that grew past ``maximumCommandBytes`` at the line just
  /// read; the rest of it, if it goes on, is skipped next.
  private mutating func tooLong(_ scanner: ContinuationScanner, firstLine: Int) -> Input {
    let at = firstLine == lineNumber ? "line \(lineNumber)" : "lines \(firstLine)-\(lineNumber)"
    var skipped = scanner
    skipped.dropOneLine()
    var message =
      "the command at \(at) is longer than \(Self.maximumCommandBytes) bytes: it is dropped"
    if !skipped.isComplete {
      skipping = skipped
      message += ", and the rest of it skipped"
    }
    lastTyped = TypedCommand(lines: [])
    return .invalid(message)
  }

  /// Reads and drops the lines that finish a command rejected as too long, until its
  /// braces and quotes are closed; returns what ends the skipping early (the end of the
  /// input, or Ctrl-C), or `nil` when the next command can be read.
  private mutating func skip(_ scanner: ContinuationScanner, completion: SessionCompletion)
    async -> Input?
  {
    var scanner = scanner
    reader.setCompletionProvider { request in completion.candidates(for: request, after: []) }
    while !scanner.isComplete {
      let (input, _) = await read(prompt: Self.continuationPrompt)
      switch input {
      case nil: return .ended(unfinished: nil)  // already reported as too long
      case .interrupted: return .interrupted
      case .invalid: continue  // a line of the dropped command
      case .line(let line): scanner.scan(line, lineNumber: lineNumber)
      }
    }
    return nil
  }

  /// Reads one line behind `prompt` (shown only at a terminal); with how long the line
  /// took to come.
  private mutating func read(prompt: String) async -> (LineInput?, Duration) {
    let shownAt = now()
    let input = await reader.readLine(prompt: showsPrompt ? prompt : "")
    let wait = now() - shownAt
    if input != nil, input != .interrupted { lineNumber += 1 }
    return (input, wait)
  }

  /// Whether `line` goes on with a program that waits for its block, a `catch` or the
  /// scope after a `,`: a line that starts with `{` or `catch` does, as does any line
  /// after a `,`; comments keep it waiting, and so do blank lines in a pipe. At a terminal
  /// a blank line ends it: Enter on an empty `...> ` line runs what was typed (and says
  /// what is missing) rather than wait for more.
  private func continues(_ scanner: ContinuationScanner, with line: String) -> Bool {
    let text = line.trimmingSpaces()
    if text.isEmpty { return !showsPrompt }
    let word = text.prefix { !$0.isWhitespace && $0 != "{" }
    return text.hasPrefix("#") || text.hasPrefix("{") || word == "catch"
      || scanner.oneLine.hasSuffix(",")
  }

  /// The command made of `lines`, with its one-line form for the history; ``lastTyped``
  /// becomes its lines and `wait`.
  private mutating func command(
    _ lines: [String], _ scanner: ContinuationScanner, wait: Duration
  ) -> Input {
    lastTyped = TypedCommand(lines: lines, wait: wait)
    guard lines.count > 1 else { return .command(lines.first ?? "", historyEntry: nil) }
    let text = lines.joined(separator: "\n")
    return .command(text, historyEntry: Session.historyEntry(lines: text, joined: scanner.oneLine))
  }
}
