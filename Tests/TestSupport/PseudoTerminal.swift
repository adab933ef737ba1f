public import Glibc

/// A child process running in a pseudo-terminal, driven like a person at a keyboard.
///
/// The child is started with `posix_spawn` (no `fork` in the multithreaded test
/// process): a new session (`POSIX_SPAWN_SETSID`) whose first terminal opened is
/// the pty's slave, which makes it the controlling terminal, so Ctrl-C sends
/// SIGINT as it would for a user.
public final class PseudoTerminal {
  public let master: Int32
  public let pid: pid_t
  /// The slave side's path, `/dev/pts/N`.
  public let slavePath: String
  /// Everything the child wrote so far.
  public private(set) var output: [UInt8] = []
  /// Where the next ``expect(_:timeout:)`` starts looking.
  private var searchStart = 0
  /// The exit status once ``waitForExit(timeout:)`` reaped the child.
  private var reaped: Int32?

  public struct Failure: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
      self.description = description
    }
  }

  /// Starts `executable` on a new pseudo-terminal of `columns` by `rows`.
  public init(
    executable: String, arguments: [String] = [], environment: [String: String],
    columns: UInt16 = 80, rows: UInt16 = 24
  ) throws {
    // posix_openpt/unlockpt/ptsname, as Linux implements them.
    master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
    // _IOW('T', 0x31, int) and _IOR('T', 0x30, unsigned int): macros Swift cannot import.
    let setLock: UInt = 0x4004_5431  // TIOCSPTLCK
    let getNumber: UInt = 0x8004_5430  // TIOCGPTN
    var unlock: Int32 = 0
    var number: UInt32 = 0
    guard master >= 0, ioctl(master, setLock, &unlock) == 0,
      ioctl(master, getNumber, &number) == 0
    else { throw Failure(description: "no pseudo-terminal: errno \(errno)") }
    slavePath = "/dev/pts/\(number)"
    var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
    posix_spawn_file_actions_adddup2(&actions, 0, 1)
    posix_spawn_file_actions_adddup2(&actions, 0, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    let setSession: Int32 = 0x80  // POSIX_SPAWN_SETSID
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, number) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attributes, &mask)
    posix_spawnattr_setflags(
      &attributes, Int16(setSession | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    var child: pid_t = 0
    let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
    guard status == 0 else {
      Glibc.close(master)
      throw Failure(description: "cannot start \(executable): error \(status)")
    }
    pid = child
  }

  deinit {
    if reaped == nil {
      // Whatever the child started goes too, even when a test failed half-way.
      ProcessTable.killDescendants(of: pid)
      kill(pid, SIGKILL)
      var status: Int32 = 0
      _ = waitpid(pid, &status, 0)
    }
    Glibc.close(master)
  }

  /// The output so far, as text.
  public var text: String { String(decoding: output, as: UTF8.self) }

  /// Types bytes at the keyboard.
  public func send(_ text: String) {
    var bytes = Array(text.utf8)
    _ = Glibc.write(master, &bytes, bytes.count)
  }

  /// Changes the terminal's size, as a person resizing the window does.
  public func resize(columns: UInt16, rows: UInt16 = 24) {
    var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)
  }

  /// Sends a signal to the child itself (not through the terminal).
  public func signal(_ number: Int32) {
    kill(pid, number)
  }

  /// Waits until `text` appears in the output after the previous match; returns
  /// the output between (with the match). Throws with what was seen on timeout.
  @discardableResult
  public func expect(_ text: String, timeout: Double = 10) throws -> String {
    let needle = Array(text.utf8)
    let deadline = Self.now() + timeout
    while true {
      if let range = find(needle) {
        let seen = String(decoding: output[searchStart..<range.upperBound], as: UTF8.self)
        searchStart = range.upperBound
        return seen
      }
      let remaining = deadline - Self.now()
      guard remaining > 0, readSome(timeout: remaining) else {
        let seen = String(decoding: output[searchStart...], as: UTF8.self)
        throw Failure(
          description: "expected \(text.debugDescription), saw \(seen.debugDescription)")
      }
    }
  }

  /// Reads whatever arrives within `seconds` and returns it (without moving the
  /// place ``expect(_:timeout:)`` starts looking).
  @discardableResult
  public func drain(for seconds: Double) -> String {
    let start = output.count
    let deadline = Self.now() + seconds
    var remaining = seconds
    while remaining > 0 {
      _ = readSome(timeout: remaining)
      remaining = deadline - Self.now()
    }
    return String(decoding: output[start...], as: UTF8.self)
  }

  /// Waits for the child to exit; its exit status, or nil on timeout or signal.
  public func waitForExit(timeout: Double = 10) -> Int32? {
    let deadline = Self.now() + timeout
    while Self.now() < deadline {
      var status: Int32 = 0
      if reaped == nil, waitpid(pid, &status, WNOHANG) == pid {
        reaped = status
      }
      if let status = reaped {
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : nil
      }
      _ = readSome(timeout: 0.05)
    }
    return nil
  }

  /// The terminal's current settings (those of the slave side).
  public func attributes() -> termios? {
    var settings = termios()
    return tcgetattr(master, &settings) == 0 ? settings : nil
  }

  private func find(_ needle: [UInt8]) -> Range<Int>? {
    guard output.count - searchStart >= needle.count, !needle.isEmpty else { return nil }
    for start in searchStart...(output.count - needle.count)
    where output[start..<(start + needle.count)].elementsEqual(needle) {
      return start..<(start + needle.count)
    }
    return nil
  }

  /// Reads what is available within `timeout`; false if nothing came (or EOF).
  private func readSome(timeout: Double) -> Bool {
    var entry = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    guard poll(&entry, 1, Int32(max(0, timeout) * 1000)) > 0 else { return false }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = Glibc.read(master, &buffer, buffer.count)
    guard count > 0 else {
      // EOF or EIO (no slave left open): do not spin on a descriptor that stays ready.
      usleep(10_000)
      return false
    }
    output.append(contentsOf: buffer[0..<count])
    return true
  }

  /// Seconds on the monotonic clock.
  public static func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}
