import AsyncScope

/// Writes what a live replay shows as an asciicast v2 file, the format asciinema's player
/// reads: a JSON header line (`version`, `width`, `height`, `title`), then one
/// `[seconds, "o", text]` line per write, flushed as it happens.
///
/// Line breaks are written as a terminal receives them (`\r\n`), so the player starts
/// each line at the left.
final class AsciicastWriter: TextOutput {
  private let file: TranscriptFile
  private let clock = ContinuousClock()
  private let start: ContinuousClock.Instant
  private let closed = Locked(false)

  /// Creates the file at `path`; an existing one is an error unless `overwrite`.
  init(
    path: String, overwrite: Bool, width: Int, height: Int, title: String
  ) throws(TranscriptFileError) {
    file = try TranscriptFile(creating: path, overwrite: overwrite)
    start = clock.now
    let header =
      "{\"version\": 2, \"width\": \(width), \"height\": \(height), \"title\": "
      + JSONValue.quote(title) + ", \"env\": {\"TERM\": \"xterm-256color\"}}\n"
    _ = file.write(header)
  }

  func write(_ text: String) {
    guard !text.isEmpty else { return }
    let seconds = JSONValue.number(start.duration(to: clock.now).inSeconds).encoded
    var terminal = ""
    for character in text {
      if character == "\n" { terminal += "\r\n" } else { terminal.append(character) }
    }
    let line = "[\(seconds), \"o\", \(JSONValue.quote(terminal))]\n"
    closed.withLock { closed in
      guard !closed else { return }
      _ = file.write(line)
    }
  }

  func close() {
    closed.withLock { closed in
      guard !closed else { return }
      closed = true
      file.close()
    }
  }
}
