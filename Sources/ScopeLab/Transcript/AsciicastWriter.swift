import AsyncScope
import LineEditor

/// Writes what a replay shows as an asciicast v2 file, the format asciinema's player
/// reads: a JSON header line (`version`, `width`, `height`, `title`, and `idle_time_limit`
/// when one is given), then one `[seconds, "o", text]` line per write, flushed as it
/// happens.
///
/// A live replay stamps each write with the time since the file was created; a cast made
/// without running (``ReplayCommandCore/withoutRunning``) stamps it with a clock of its own
/// (`elapsed`) that moves only when told to. Line breaks are written as a terminal
/// receives them (`\r\n`), so the player starts each line at the left.
final class AsciicastWriter: TextOutput {
  private let file: RegularFile.Output
  private let elapsed: @Sendable () -> Duration
  /// Whether closed, and why the first write that failed did (a full disk).
  private let state = Locked((closed: false, failure: RegularFile.Problem?.none))

  /// Creates the file at `path` (an existing one is an error unless `overwrite`) and
  /// writes the header: the terminal's `size`, the `idleTimeLimit` a player should cap
  /// every stretch without output at (none when `nil`), and the `title`. Each write is
  /// stamped with `elapsed()`, by default the time since now.
  init(
    path: String, overwrite: Bool, size: CastSize, idleTimeLimit: Duration? = nil,
    title: String, elapsed: (@Sendable () -> Duration)? = nil
  ) throws(OutputFileError) {
    file = try RegularFile.Output(creating: path, overwrite: overwrite)
    if let elapsed {
      self.elapsed = elapsed
    } else {
      let start = ContinuousClock.now
      self.elapsed = { start.duration(to: .now) }
    }
    let limit = idleTimeLimit.map {
      ", \"idle_time_limit\": " + JSONValue.number($0.inSeconds).encoded
    }
    let header =
      "{\"version\": 2, \"width\": \(size.columns), \"height\": \(size.rows)\(limit ?? "")"
      + ", \"title\": " + JSONValue.quote(title) + ", \"env\": {\"TERM\": \"xterm-256color\"}}\n"
    append(header)
  }

  func write(_ text: String) {
    guard !text.isEmpty else { return }
    let seconds = JSONValue.number(elapsed().inSeconds).encoded
    var terminal = ""
    for character in text {
      if character == "\n" { terminal += "\r\n" } else { terminal.append(character) }
    }
    append("[\(seconds), \"o\", \(JSONValue.quote(terminal))]\n")
  }

  private func append(_ line: String) {
    state.withLock { state in
      guard !state.closed, state.failure == nil else { return }
      state.failure = file.write(line)
    }
  }

  /// Why writing the file failed, if it did (every write after the first failure is
  /// dropped).
  var failure: OutputFileError? {
    state.withLock { state in
      state.failure.map { problem in
        OutputFileError(path: file.path, problem: problem, writing: true)
      }
    }
  }

  func close() {
    state.withLock { state in
      guard !state.closed else { return }
      state.closed = true
      file.close()
    }
  }
}

/// The size of the terminal an asciicast plays in: `--size COLSxROWS`, the terminal's
/// own, or ``standard`` when the replay goes to no terminal.
public struct CastSize: Sendable, Equatable {
  public var columns: Int
  public var rows: Int

  public init(columns: Int, rows: Int) {
    self.columns = columns
    self.rows = rows
  }

  /// 80 columns by 24 rows: a cast's size when the replay shows on no terminal.
  public static let standard = CastSize(columns: 80, rows: 24)

  /// The columns `--size` accepts: a timeline is drawn at least 40 wide.
  static let columnRange = 40...1000
  /// The rows `--size` accepts.
  static let rowRange = 2...1000

  /// What `--size` says when it is not a size it accepts.
  static let problem =
    "--size is COLUMNSxROWS, like 100x30 (columns \(columnRange.lowerBound) to"
    + " \(columnRange.upperBound), rows \(rowRange.lowerBound) to \(rowRange.upperBound))"

  /// `100x30`: ASCII digits, `x`, ASCII digits, each number in its range.
  init?(parsing text: String) {
    let parts = text.split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 2,
      parts.allSatisfy({ part in
        (1...4).contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber }
      }),
      let columns = Int(parts[0]), let rows = Int(parts[1]),
      Self.columnRange.contains(columns), Self.rowRange.contains(rows)
    else { return nil }
    self.init(columns: columns, rows: rows)
  }
}
