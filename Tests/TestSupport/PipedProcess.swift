public import Glibc

/// A child process with its standard input, output and error on pipes, read as
/// they arrive (never all at the end), so a test can watch output appear live.
///
/// Started with `posix_spawn` with default SIGINT/SIGTERM handling and nothing
/// blocked. Input given at the start is written as the child reads it, then the
/// pipe is closed (end of input). When released, the child and everything below
/// it are killed and reaped, so a failing test leaves nothing behind.
public final class PipedProcess {
  /// How the child ended.
  public enum Termination: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    public var description: String {
      switch self {
      case .exited(let code): "exited(\(code))"
      case .signaled(let number): "signaled(\(number))"
      }
    }
  }

  public let pid: pid_t
  public private(set) var standardOutput: [UInt8] = []
  public private(set) var standardError: [UInt8] = []
  public private(set) var termination: Termination?

  private var outputFD: Int32
  private var errorFD: Int32
  private var inputFD: Int32
  private var pendingInput: [UInt8]
  private var inputOffset = 0
  /// Where the next ``expectOutput(_:timeout:)`` starts looking.
  private var searchStart = 0

  /// Starts `executable`; `input` is written to its standard input, which is then
  /// closed (`nil`: the pipe stays open until ``closeInput()``).
  public init(
    executable: String, arguments: [String], environment: [String: String],
    input: [UInt8]? = []
  ) throws {
    Self.ignoreBrokenPipes()
    var input2 = [Int32](repeating: -1, count: 2)
    var output2 = [Int32](repeating: -1, count: 2)
    var error2 = [Int32](repeating: -1, count: 2)
    guard Self.makePipe(&input2), Self.makePipe(&output2), Self.makePipe(&error2)
    else { throw PseudoTerminal.Failure(description: "pipe failed: errno \(errno)") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, input2[0], 0)
    posix_spawn_file_actions_adddup2(&actions, output2[1], 1)
    posix_spawn_file_actions_adddup2(&actions, error2[1], 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, number) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attributes, &mask)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    var child: pid_t = 0
    let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
    for fd in [input2[0], output2[1], error2[1]] { close(fd) }
    guard status == 0 else {
      for fd in [input2[1], output2[0], error2[0]] { close(fd) }
      throw PseudoTerminal.Failure(description: "cannot start \(executable): error \(status)")
    }
    pid = child
    outputFD = output2[0]
    errorFD = error2[0]
    inputFD = input2[1]
    pendingInput = input ?? []
    for fd in [outputFD, errorFD, inputFD] {
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }
    if input != nil, pendingInput.isEmpty { closeInput() }
  }

  deinit {
    if termination == nil {
      ProcessTable.killDescendants(of: pid)
      kill(pid, SIGKILL)
      var status: Int32 = 0
      _ = waitpid(pid, &status, 0)
    }
    for fd in [outputFD, errorFD, inputFD] where fd >= 0 { close(fd) }
  }

  /// Standard output so far, as text.
  public var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
  /// Standard error so far, as text.
  public var errorText: String { String(decoding: standardError, as: UTF8.self) }

  /// The tests' own process ignores SIGPIPE, as scopelab does: input written to a child
  /// that has already exited (a usage error ends it at once, and on a loaded machine the
  /// write may come after) fails with EPIPE instead of killing the whole test run, as
  /// SIGPIPE did. The child gets the default back (`setsigdefault` above).
  private static func ignoreBrokenPipes() {
    _ = Glibc.signal(SIGPIPE, SIG_IGN)
  }

  /// Writes `text` to the child's input, kept open (started with `input: nil`).
  public func send(_ text: String) {
    guard inputFD >= 0 else { return }
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { write(inputFD, $0.baseAddress, $0.count) }
      if count > 0 {
        offset += count
      } else if errno != EINTR && errno != EAGAIN {
        return
      }
    }
  }

  /// Ends the child's input.
  public func closeInput() {
    if inputFD >= 0 { close(inputFD) }
    inputFD = -1
  }

  /// Stops reading the child's standard output: its next write finds a broken pipe.
  public func closeOutput() {
    if outputFD >= 0 { close(outputFD) }
    outputFD = -1
  }

  /// Whether the child is still running (it has not been reaped).
  public var isRunning: Bool {
    reap()
    return termination == nil
  }

  /// Sends `number` to the child.
  public func signal(_ number: Int32) {
    kill(pid, number)
  }

  /// Waits until `text` appears on standard output after the previous match;
  /// returns the output up to and with the match. Throws on timeout.
  @discardableResult
  public func expectOutput(_ text: String, timeout: Double = 10) throws -> String {
    let needle = Array(text.utf8)
    let deadline = PseudoTerminal.now() + timeout
    while true {
      if let range = find(needle, in: standardOutput, from: searchStart) {
        let seen = String(decoding: standardOutput[searchStart..<range.upperBound], as: UTF8.self)
        searchStart = range.upperBound
        return seen
      }
      let remaining = deadline - PseudoTerminal.now()
      guard remaining > 0 else {
        throw PseudoTerminal.Failure(
          description: "expected \(text.debugDescription) on stdout, saw "
            + "\(String(decoding: standardOutput[searchStart...], as: UTF8.self).debugDescription)"
            + "; stderr \(errorText.debugDescription)")
      }
      reap()
      if !pump(timeout: min(remaining, 0.1)), termination != nil || outputFD < 0 {
        _ = pump(timeout: 0)
        if find(needle, in: standardOutput, from: searchStart) == nil {
          throw PseudoTerminal.Failure(
            description: "expected \(text.debugDescription) on stdout, but the output ended: "
              + "\(outputText.debugDescription); stderr \(errorText.debugDescription)")
        }
      }
    }
  }

  /// Waits for the child to exit, reading its output meanwhile; nil on timeout.
  @discardableResult
  public func waitForExit(timeout: Double = 10) -> Termination? {
    let deadline = PseudoTerminal.now() + timeout
    while termination == nil {
      reap()
      if termination != nil { break }
      guard PseudoTerminal.now() < deadline else { return nil }
      _ = pump(timeout: 0.05)
    }
    // Collect what is still in the pipes (unless a grandchild holds them open).
    let drainUntil = PseudoTerminal.now() + 2
    while isOutputOpen, PseudoTerminal.now() < drainUntil {
      _ = pump(timeout: 0.05)
    }
    return termination
  }

  /// Runs to the end: input written, output collected, exit awaited.
  public func finish(timeout: Double = 20) throws -> Termination {
    guard let ended = waitForExit(timeout: timeout) else {
      throw PseudoTerminal.Failure(
        description: "still running after \(timeout)s; stdout \(outputText.debugDescription)"
          + "; stderr \(errorText.debugDescription)")
    }
    return ended
  }

  /// `pipe(2)` with both ends close-on-exec (`pipe2` is not imported without _GNU_SOURCE).
  private static func makePipe(_ ends: inout [Int32]) -> Bool {
    guard pipe(&ends) == 0 else { return false }
    for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return true
  }

  private var isOutputOpen: Bool { outputFD >= 0 || errorFD >= 0 }

  private func reap() {
    var status: Int32 = 0
    guard termination == nil, waitpid(pid, &status, WNOHANG) == pid else { return }
    termination = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
  }

  /// Moves bytes between the pipes for up to `timeout`; false if nothing moved.
  private func pump(timeout: Double) -> Bool {
    var entries = [
      pollfd(fd: outputFD, events: Int16(POLLIN), revents: 0),
      pollfd(fd: errorFD, events: Int16(POLLIN), revents: 0),
      pollfd(
        fd: inputOffset < pendingInput.count ? inputFD : -1, events: Int16(POLLOUT), revents: 0),
    ]
    guard poll(&entries, 3, Int32(max(0, timeout) * 1000)) > 0 else { return false }
    var moved = false
    if entries[0].revents != 0 { moved = readInto(&standardOutput, from: &outputFD) || moved }
    if entries[1].revents != 0 { moved = readInto(&standardError, from: &errorFD) || moved }
    if entries[2].revents != 0 { moved = writeInput() || moved }
    return moved
  }

  private func readInto(_ bytes: inout [UInt8], from fd: inout Int32) -> Bool {
    var buffer = [UInt8](repeating: 0, count: 65_536)
    let count = read(fd, &buffer, buffer.count)
    if count > 0 {
      bytes += buffer[0..<count]
      return true
    }
    if count == 0 || (errno != EAGAIN && errno != EINTR) {
      close(fd)
      fd = -1
    }
    return false
  }

  private func writeInput() -> Bool {
    guard inputOffset < pendingInput.count else {
      closeInput()
      return false
    }
    let written = pendingInput.withUnsafeBytes { buffer in
      write(inputFD, buffer.baseAddress.map { $0 + inputOffset }, buffer.count - inputOffset)
    }
    if written > 0 { inputOffset += written }
    if written < 0, errno != EAGAIN, errno != EINTR { closeInput() }
    if inputOffset >= pendingInput.count { closeInput() }
    return written > 0
  }

  private func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Range<Int>? {
    guard haystack.count - start >= needle.count, !needle.isEmpty else { return nil }
    for index in start...(haystack.count - needle.count)
    where haystack[index..<(index + needle.count)].elementsEqual(needle) {
      return index..<(index + needle.count)
    }
    return nil
  }
}
