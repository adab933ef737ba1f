import Glibc
import Testing

@testable import LineEditor

/// Terminal facts read from real descriptors: a pseudo-terminal and a pipe.
struct TerminalTests {
  @Test func columnsIsTheTerminalsWidthAsSetLast() throws {
    let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
    try #require(master >= 0)
    defer { close(master) }
    for columns: UInt16 in [132, 61] {
      var size = winsize(ws_row: 24, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
      try #require(ioctl(master, UInt(TIOCSWINSZ), &size) == 0)
      #expect(Terminal.columns(of: master) == Int(columns))
    }
    // A terminal that does not know its size says 0 columns: no width.
    var unknown = winsize(ws_row: 0, ws_col: 0, ws_xpixel: 0, ws_ypixel: 0)
    try #require(ioctl(master, UInt(TIOCSWINSZ), &unknown) == 0)
    #expect(Terminal.columns(of: master) == nil)
  }

  @Test func aPipeHasNoColumns() throws {
    var fds: [Int32] = [-1, -1]
    try #require(pipe(&fds) == 0)
    defer { for fd in fds { close(fd) } }
    #expect(Terminal.columns(of: fds[1]) == nil)
    #expect(!Terminal.isTerminal(fds[1]))
  }
}
