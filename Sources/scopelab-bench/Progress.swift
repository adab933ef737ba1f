import PosixThread

/// Progress lines go to stderr, so stdout holds nothing but the JSON report.
enum Progress {
  /// Writes one line to file descriptor 2, through the syscalls layer.
  static func say(_ text: String) {
    Syscall.writeAll(2, text + "\n")
  }
}
