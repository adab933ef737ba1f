import Glibc
import PosixThread
import Synchronization

/// The address of the terminal state saved before line editing changed it, or 0.
private let savedTerminalState = Atomic<UInt>(0)

/// Facts about the process's terminal, and putting it back as it was.
public enum Terminal {
  /// Whether standard input is a terminal: use ``EditLineReader`` if so,
  /// ``PlainLineReader`` if not.
  public static var isInteractive: Bool {
    Syscall.isTerminal(0)
  }

  /// Whether the descriptor is a terminal (`isatty(3)`).
  public static func isTerminal(_ fd: Int32) -> Bool {
    Syscall.isTerminal(fd)
  }

  /// The width of the terminal on `fd` in columns, or nil when `fd` is not a terminal or
  /// its size is unknown (`ioctl(2)` `TIOCGWINSZ`). Asked afresh each time: the window may
  /// have been resized since.
  public static func columns(of fd: Int32) -> Int? {
    Syscall.windowColumns(fd)
  }

  /// The columns and rows of the terminal on `fd`, or nil when `fd` is not a terminal or
  /// its size is unknown (`ioctl(2)` `TIOCGWINSZ`).
  public static func size(of fd: Int32) -> (columns: Int, rows: Int)? {
    Syscall.windowSize(fd)
  }

  /// Remembers standard input's terminal settings, once per process, so that
  /// ``restore()`` can put them back. ``EditLineReader`` calls this itself.
  public static func saveState() {
    guard savedTerminalState.load(ordering: .acquiring) == 0,
      let attributes = Syscall.terminalAttributes(0)
    else { return }
    let storage = UnsafeMutablePointer<termios>.allocate(capacity: 1)
    storage.initialize(to: attributes)
    let (exchanged, _) = savedTerminalState.compareExchange(
      expected: 0, desired: UInt(bitPattern: storage), ordering: .acquiringAndReleasing)
    if !exchanged { storage.deallocate() }
  }

  /// Puts standard input's terminal settings back as ``saveState()`` found them.
  ///
  /// Async-signal-safe (one `tcsetattr(3)`, no allocation): call it from SIGTERM,
  /// SIGHUP and fatal-signal handlers, and before exiting on a fatal error. Does
  /// nothing if nothing was saved.
  public static func restore() {
    let address = savedTerminalState.load(ordering: .acquiring)
    guard let saved = UnsafePointer<termios>(bitPattern: address) else { return }
    Syscall.setTerminalAttributes(0, saved)
  }
}
