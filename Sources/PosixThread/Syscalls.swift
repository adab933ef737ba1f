package import Glibc

// The package's one syscalls layer: every C call of LineEditor, AsyncScope, ScopeLab and
// the bench goes through `Syscall` - this file and the `Syscalls+*.swift` extensions
// beside the code that needs them (libedit's in LineEditor, process groups' in
// AsyncScope). Each wrapper names the C function behind it and retries EINTR where a
// retry is what every caller wants; every failure is an `Errno`.

/// An errno value captured right after a failing call.
package struct Errno: Error, Equatable, CustomStringConvertible {
  package var rawValue: CInt

  package init(rawValue: CInt) {
    self.rawValue = rawValue
  }

  /// The current thread's `errno`.
  package static var current: Errno { Errno(rawValue: errno) }

  package static let interrupted = Errno(rawValue: EINTR)
  package static let wouldBlock = Errno(rawValue: EAGAIN)
  /// What a short read of a message that is written whole means.
  package static let inputOutput = Errno(rawValue: EIO)
  /// A write to a pipe whose reader is gone (with SIGPIPE ignored).
  package static let brokenPipe = Errno(rawValue: EPIPE)

  /// `strerror(3)`.
  package var description: String {
    guard let message = strerror(rawValue) else { return "error \(rawValue)" }
    return String(cString: message)
  }
}

package enum Syscall {
  /// `read(2)`, retrying EINTR. Returns 0 at end of file.
  package static func read(_ fd: CInt, into buffer: UnsafeMutableRawBufferPointer) -> Result<
    Int, Errno
  > {
    while true {
      let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
      if count >= 0 { return .success(count) }
      if errno != EINTR { return .failure(.current) }
    }
  }

  /// `write(2)` of the whole buffer, retrying EINTR and short writes.
  @discardableResult
  package static func writeAll(_ fd: CInt, _ bytes: UnsafeRawBufferPointer) -> Result<Void, Errno> {
    var offset = 0
    while offset < bytes.count {
      let count = Glibc.write(fd, bytes.baseAddress?.advanced(by: offset), bytes.count - offset)
      if count < 0 {
        if errno == EINTR { continue }
        return .failure(.current)
      }
      offset += count
    }
    return .success(())
  }

  /// `write(2)` of a string's UTF-8 bytes.
  @discardableResult
  package static func writeAll(_ fd: CInt, _ text: String) -> Result<Void, Errno> {
    var text = text
    return text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
  }

  /// `pipe(2)` and `fcntl(2)`: a pipe with `FD_CLOEXEC`, optionally `O_NONBLOCK` on both ends.
  package static func pipe(nonBlocking: Bool) -> Result<(read: CInt, write: CInt), Errno> {
    var fds: [CInt] = [-1, -1]
    let status = fds.withUnsafeMutableBufferPointer { Glibc.pipe($0.baseAddress) }
    guard status == 0 else { return .failure(.current) }
    for fd in fds {
      _ = Glibc.fcntl(fd, F_SETFD, FD_CLOEXEC)
      if nonBlocking { _ = Glibc.fcntl(fd, F_SETFL, Glibc.fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }
    return .success((fds[0], fds[1]))
  }

  /// `fcntl(2)`: sets `O_NONBLOCK` on `fd`; whether it could.
  package static func setNonBlocking(_ fd: CInt) -> Bool {
    Glibc.fcntl(fd, F_SETFL, Glibc.fcntl(fd, F_GETFL) | O_NONBLOCK) == 0
  }

  /// `close(2)`; errors are ignored (the descriptor is gone either way on Linux).
  package static func close(_ fd: CInt) {
    _ = Glibc.close(fd)
  }

  /// `poll(2)` on descriptors for reading, waiting without a timeout. Returns which
  /// descriptors are readable (or hung up), or the errno (EINTR included).
  package static func pollReadable(_ fds: [CInt], timeoutMilliseconds: CInt = -1) -> Result<
    [Bool], Errno
  > {
    var entries = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    let status = entries.withUnsafeMutableBufferPointer {
      Glibc.poll($0.baseAddress, nfds_t($0.count), timeoutMilliseconds)
    }
    guard status >= 0 else { return .failure(.current) }
    return .success(entries.map { $0.revents != 0 })
  }

  /// Whether `fd` has input to read now (or its end): `poll(2)` with no wait.
  package static func hasInputNow(_ fd: CInt) -> Bool {
    guard case .success(let ready) = pollReadable([fd], timeoutMilliseconds: 0) else {
      return false
    }
    return ready[0]
  }

  /// `ttyname_r(3)` and `open(2)`: a new open file description of the terminal `fd`
  /// refers to, for reading, with `O_NONBLOCK` (and `O_NOCTTY`, `O_CLOEXEC`). `fd`'s
  /// own file description - shared with the shell - keeps its flags. Tries the
  /// terminal's path, then `/proc/self/fd/N`; `nil` if neither opens as a terminal.
  package static func openNonBlockingReader(ofTerminal fd: CInt) -> CInt? {
    var name = [CChar](repeating: 0, count: 256)
    let named = Glibc.ttyname_r(fd, &name, name.count) == 0
    let path = String(
      decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let paths = (named ? [path] : []) + ["/proc/self/fd/\(fd)"]
    for path in paths {
      guard case .success(let reader) = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY) else {
        continue
      }
      if isTerminal(reader) { return reader }
      close(reader)
    }
    return nil
  }

  /// `isatty(3)`.
  package static func isTerminal(_ fd: CInt) -> Bool {
    Glibc.isatty(fd) == 1
  }

  /// `ioctl(2)` with `TIOCGWINSZ`: the terminal's width in columns, or nil when the
  /// descriptor is not a terminal or the terminal does not know its size (0 columns).
  package static func windowColumns(_ fd: CInt) -> Int? {
    guard let size = window(fd), size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }

  /// `ioctl(2)` with `TIOCGWINSZ`: the terminal's columns and rows, or nil when the
  /// descriptor is not a terminal or the terminal does not know its size (0 of either).
  package static func windowSize(_ fd: CInt) -> (columns: Int, rows: Int)? {
    guard let size = window(fd), size.ws_col > 0, size.ws_row > 0 else { return nil }
    return (Int(size.ws_col), Int(size.ws_row))
  }

  private static func window(_ fd: CInt) -> winsize? {
    var size = winsize()
    return Glibc.ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 ? size : nil
  }

  /// `tcgetattr(3)`.
  package static func terminalAttributes(_ fd: CInt) -> termios? {
    var attributes = termios()
    return Glibc.tcgetattr(fd, &attributes) == 0 ? attributes : nil
  }

  /// `tcsetattr(3)` with `TCSANOW`; async-signal-safe.
  package static func setTerminalAttributes(_ fd: CInt, _ attributes: UnsafePointer<termios>) {
    _ = Glibc.tcsetattr(fd, TCSANOW, attributes)
  }

  /// `sigaction(2)` installing `handler` for `signal` with `flags` (`SA_RESTART`,
  /// `SA_RESETHAND`) and nothing blocked while it runs.
  package static func installSignalHandler(
    _ signal: CInt, flags: CInt, _ handler: @convention(c) (CInt) -> Void
  ) -> Bool {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = handler
    action.sa_flags = flags
    sigemptyset(&action.sa_mask)
    return sigaction(signal, &action, nil) == 0
  }

  /// `signal(2)` with `SIG_IGN`.
  package static func ignoreSignal(_ signal: CInt) {
    _ = Glibc.signal(signal, SIG_IGN)
  }

  /// `setlocale(3)` for `LC_CTYPE`; returns whether the locale now decodes UTF-8
  /// (`nl_langinfo(CODESET)` is "UTF-8").
  package static func setCharacterLocale(_ name: String) -> Bool {
    guard Glibc.setlocale(LC_CTYPE, name) != nil else { return false }
    guard let codeset = Glibc.nl_langinfo(nl_item(CODESET)) else { return false }
    let value = String(cString: codeset).uppercased()
    return value == "UTF-8" || value == "UTF8"
  }

  /// `getenv(3)`.
  package static func environment(_ name: String) -> String? {
    guard let value = Glibc.getenv(name) else { return nil }
    return String(cString: value)
  }

  /// `environ(7)`: every `NAME=value` entry, as the process holds them.
  package static func environmentEntries() -> [String] {
    var entries: [String] = []
    var pointer = Glibc.environ
    while let entry = pointer.pointee {
      entries.append(String(cString: entry))
      pointer += 1
    }
    return entries
  }

  /// Sets the thread's `errno`, for C callbacks that report failure through it.
  package static func setErrno(_ value: Errno) {
    errno = value.rawValue
  }

  /// `strdup(3)`: a C string that outlives the call (free with ``freeCString(_:)``).
  package static func duplicateCString(_ text: String) -> UnsafeMutablePointer<CChar>? {
    Glibc.strdup(text)
  }

  /// `free(3)` of a string from ``duplicateCString(_:)``.
  package static func freeCString(_ pointer: UnsafeMutablePointer<CChar>?) {
    Glibc.free(pointer)
  }

  /// `getpid(2)`.
  package static func processID() -> CInt {
    Glibc.getpid()
  }
}
