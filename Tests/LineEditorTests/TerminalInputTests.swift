import Glibc
import PosixThread
import Testing

@testable import LineEditor

/// The character reader's own descriptor of the terminal: a key that `poll(2)` saw
/// and Ctrl-C then discarded must not leave the reader blocked in `read(2)`.
@Suite struct TerminalInputTests {
  /// A pseudo-terminal pair in raw mode: (master, slave).
  private func openPair() throws -> (CInt, CInt) {
    // unlockpt and ptsname as Linux implements them (as in TestSupport's PseudoTerminal).
    let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
    var unlock: Int32 = 0
    var number: UInt32 = 0
    try #require(master >= 0)
    try #require(ioctl(master, 0x4004_5431, &unlock) == 0)  // TIOCSPTLCK
    try #require(ioctl(master, 0x8004_5430, &number) == 0)  // TIOCGPTN
    let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
    try #require(slave >= 0)
    var settings = termios()
    try #require(tcgetattr(slave, &settings) == 0)
    cfmakeraw(&settings)
    try #require(tcsetattr(slave, TCSANOW, &settings) == 0)
    return (master, slave)
  }

  @Test("its own descriptor does not block; the terminal's own stays blocking")
  func ownNonBlockingDescriptor() throws {
    let (master, slave) = try openPair()
    defer {
      close(slave)
      close(master)
    }
    let input = TerminalInput(terminal: slave)
    #expect(input.isOwn)
    #expect(input.fd != slave)
    #expect(fcntl(input.fd, F_GETFL) & O_NONBLOCK != 0)
    #expect(fcntl(slave, F_GETFL) & O_NONBLOCK == 0, "the shared description keeps its flags")
  }

  @Test("a key poll saw and the driver then discarded: read fails with EAGAIN, not blocks")
  func discardedKeyDoesNotBlock() throws {
    let (master, slave) = try openPair()
    defer {
      close(slave)
      close(master)
    }
    let input = TerminalInput(terminal: slave)
    var key: UInt8 = 0x61
    #expect(write(master, &key, 1) == 1)
    #expect(try #require(try? Syscall.pollReadable([input.fd]).get()) == [true])
    // What Ctrl-C does to unread input (ISIG without NOFLSH).
    #expect(tcflush(slave, TCIFLUSH) == 0)
    var byte: UInt8 = 0
    let result = withUnsafeMutableBytes(of: &byte) { Syscall.read(input.fd, into: $0) }
    #expect(result == .failure(.wouldBlock))
    #expect(write(master, &key, 1) == 1)
    #expect(try #require(try? Syscall.pollReadable([input.fd]).get()) == [true])
    let next = withUnsafeMutableBytes(of: &byte) { Syscall.read(input.fd, into: $0) }
    #expect(next == .success(1) && byte == 0x61, "a key typed after it is read")
  }
}
