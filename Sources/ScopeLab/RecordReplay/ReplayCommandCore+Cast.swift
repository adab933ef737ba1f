import AsyncScope

/// The asciicast options (`--size`, `--idle-limit`, `--no-run`), and the cast made from a
/// transcript's text without running it.
extension ReplayCommandCore {
  /// The longest pause live replay keeps when `--idle-limit` is not given.
  public static let defaultIdleLimit = Duration.seconds(3)

  /// How much earlier than a recorded Ctrl-C a trace line may be stamped and still come
  /// after it: `% interrupt` is written in hundredths of a second, from the moment the
  /// command was typed, the trace in thousandths from the moment its run began.
  static let interruptTolerance = Duration.milliseconds(20)

  /// What is wrong with `--size`, `--idle-limit` and `--no-run`, if anything.
  var castProblem: String? {
    if let idleLimit {
      if check || bless { return "--idle-limit paces a live replay: leave out --check and --bless" }
      guard Self.idleLimit(parsing: idleLimit) != nil else {
        return "--idle-limit takes a time above 0, like 2 or 1.5s, or none - not"
          + " '\(idleLimit.echoedForError)'"
      }
    }
    if let size {
      guard asciicast != nil else { return "--size goes with --asciicast OUT.cast" }
      guard CastSize(parsing: size) != nil else {
        return CastSize.problem + " - not '\(size.echoedForError)'"
      }
    }
    if withoutRunning && asciicast == nil {
      return "--no-run goes with --asciicast OUT.cast: it makes the cast without running anything"
    }
    return nil
  }

  /// `--idle-limit`'s value: a time above 0, or `none` (a `UserDuration` without one).
  static func idleLimit(parsing text: String) -> UserDuration? {
    guard let limit = try? UserDuration(parsing: text) else { return nil }
    if let duration = limit.duration, duration <= .zero { return nil }
    return limit
  }

  /// The asciicast's size: `--size`, else the terminal's, else 80x24.
  public var castSize: CastSize {
    size.flatMap(CastSize.init(parsing:)) ?? terminalSize ?? .standard
  }

  /// The longest pause kept (`nil`: none): `--idle-limit`'s, or ``defaultIdleLimit``.
  var pauseLimit: Duration? {
    guard let idleLimit else { return Self.defaultIdleLimit }
    return Self.idleLimit(parsing: idleLimit)?.duration
  }

  /// The cast header's `idle_time_limit`: only an `--idle-limit` given (and not `none`).
  var castIdleTimeLimit: Duration? {
    idleLimit.flatMap(Self.idleLimit(parsing:))?.duration
  }

  /// How long a replay pauses for a recorded `% wait`: scaled by `--speed`, at most
  /// ``pauseLimit``.
  func pauseLength(_ wait: Duration) -> Duration {
    let scaled = wait / speed
    return pauseLimit.map { min(scaled, $0) } ?? scaled
  }

  /// The `--asciicast` file, created with its header, if one was asked for; its writes
  /// are stamped by `elapsed` (by default the time since it was created).
  func makeCast(
    title: String, elapsed: (@Sendable () -> Duration)? = nil
  ) throws(TranscriptError) -> AsciicastWriter? {
    guard let asciicast else { return nil }
    do {
      return try AsciicastWriter(
        path: asciicast, overwrite: force, size: castSize, idleTimeLimit: castIdleTimeLimit,
        title: title, elapsed: elapsed)
    } catch {
      throw TranscriptError(file: asciicast, line: nil, message: error.description)
    }
  }

  /// A cast that could not be written whole (a full disk) is an error.
  func checkWritten(_ cast: AsciicastWriter?) throws(TranscriptError) {
    guard let cast, let failure = cast.failure else { return }
    throw TranscriptError(file: failure.path, line: nil, message: failure.description)
  }

  /// `--asciicast OUT --no-run`: the cast a live replay of `document` would make, from its
  /// text alone - nothing runs, nothing is asked. Each command is typed behind its prompt
  /// as live replay types it, after its `% wait` (scaled by `--speed`, capped by the idle
  /// limit); each output line appears when its trace time says, from the moment the command
  /// was typed (`  2.000s  ...`), a line without one right after the line before; each
  /// `% interrupt` shows `^C` at its moment. Output the transcript does not hold (`...`,
  /// `[..]`) cannot be shown: that is an error naming its line, and no file is written.
  /// Returns the line that says what was written.
  func castWithoutRunning(
    _ document: TranscriptDocument, file: String
  ) async throws(TranscriptError) -> String {
    let commands = document.blocks.flatMap(\.commands)
    for line in commands.flatMap(\.output) {
      guard let what = Self.unshown(line.text) else { continue }
      throw TranscriptError(
        file: file, line: line.lineNumber,
        message: "\(what) output this transcript does not hold: a cast made without running"
          + " cannot show it (make the cast by a live replay: leave out --no-run)")
    }
    let clock = CastClock()
    guard let cast = try makeCast(title: file, elapsed: { clock.now }) else { return "" }
    defer { cast.close() }
    for command in commands {
      if let wait = command.wait { clock.move(by: pauseLength(wait)) }
      await type(command, on: cast, palette: .plain, pause: { clock.move(by: $0) })
      let start = clock.now
      var presses = command.interrupts.sorted()[...]
      for line in command.output {
        if let time = Self.traceTime(of: line.text) {
          while let press = presses.first, press <= time + Self.interruptTolerance {
            presses.removeFirst()
            clock.move(to: start + press)
            cast.write("^C\n")
          }
          clock.move(to: start + time)
        }
        cast.write(line.text + "\n")
      }
      for press in presses {
        clock.move(to: start + press)
        cast.write("^C\n")
      }
    }
    try checkWritten(cast)
    let count = "\(commands.count) command\(commands.count == 1 ? "" : "s")"
    return "wrote \((asciicast ?? "").controlCharactersEscaped) without running anything: \(count),"
      + " \(formatSeconds(clock.now, digits: 1))\n"
  }

  /// What a line stands for that a cast cannot show, if it holds such a thing: `...`
  /// (any lines) or `[..]` (any text).
  static func unshown(_ text: String) -> String? {
    let pattern = LinePattern(text, slack: 1)
    if pattern.isEllipsis { return "'...' stands for lines of" }
    let anyText = pattern.elements.contains {
      if case .anyText = $0 { true } else { false }
    }
    return anyText ? "'[..]' stands for" : nil
  }

  /// When a trace line appeared after its run began: the time it starts with, as the
  /// trace writes it (right-aligned in 8 columns, 3 decimals, two spaces after:
  /// `  2.000s  enter timeout#1`). `nil` for any other line.
  static func traceTime(of line: String) -> Duration? {
    let characters = Array(line)
    let indent = characters.prefix { $0 == " " }.count
    guard let (token, end) = TimingToken.scan(characters, at: indent), token.unit == .seconds,
      token.decimals == 3, end == max(8, end - indent),
      Array(characters.dropFirst(end).prefix(2)) == [" ", " "]
    else { return nil }
    return try? UserDuration(seconds: token.seconds).duration
  }
}

/// The clock of a cast made without running: it stands still until moved, and never goes
/// back.
final class CastClock: Sendable {
  private let time = Locked(Duration.zero)

  var now: Duration { time.withLock { $0 } }

  func move(by duration: Duration) {
    time.withLock { $0 += max(.zero, duration) }
  }

  func move(to moment: Duration) {
    time.withLock { $0 = max($0, moment) }
  }
}
