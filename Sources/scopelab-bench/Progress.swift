#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Progress lines go to stderr, so stdout holds nothing but the JSON report.
enum Progress {
  /// Writes one line to file descriptor 2 with `write(2)`.
  static func say(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { bytes in
      _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count)
    }
  }
}
