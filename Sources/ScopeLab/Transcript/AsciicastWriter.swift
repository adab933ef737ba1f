import AsyncScope

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes what a live replay shows as an asciicast v2 file, the format asciinema's player
/// reads: a JSON header line (`version`, `width`, `height`, `title`), then one
/// `[seconds, "o", text]` line per write, flushed as it happens.
///
/// Line breaks are written as a terminal receives them (`\r\n`), so the player starts
/// each line at the left.
final class AsciicastWriter: TextOutput {
  private let fd: Int32
  private let clock = ContinuousClock()
  private let start: ContinuousClock.Instant
  private let lock = Locked(false)

  init(path: String, width: Int, height: Int, title: String) throws(TextFile.Problem) {
    var fd: Int32
    repeat {
      fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    } while fd < 0 && errno == EINTR
    guard fd >= 0 else { throw TextFile.Problem(description: TextFile.reason(errno)) }
    self.fd = fd
    start = clock.now
    let header =
      "{\"version\": 2, \"width\": \(width), \"height\": \(height), \"title\": "
      + JSONValue.quote(title) + ", \"env\": {\"TERM\": \"xterm-256color\"}}\n"
    _ = TextFile.writeAll(fd, header)
  }

  func write(_ text: String) {
    guard !text.isEmpty else { return }
    let seconds = JSONValue.number(start.duration(to: clock.now).inSeconds).encoded
    var terminal = ""
    for character in text {
      if character == "\n" { terminal += "\r\n" } else { terminal.append(character) }
    }
    let line = "[\(seconds), \"o\", \(JSONValue.quote(terminal))]\n"
    lock.withLock { closed in
      guard !closed else { return }
      _ = TextFile.writeAll(fd, line)
    }
  }

  func close() {
    lock.withLock { closed in
      guard !closed else { return }
      closed = true
      _ = Glibc.close(fd)
    }
  }
}
