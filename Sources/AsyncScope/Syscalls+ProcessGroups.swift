internal import CAsyncScope
import Glibc
import PosixThread

/// Every C call the process scope makes itself; swift-subprocess does the rest.
///
/// None of these block, so they are safe on the cooperative pool; ``signalGroup(_:_:)``
/// is also async-signal-safe.
extension Syscall {
  /// `kill(-group, signal)`: sends `signal` to every process in the group.
  /// - Returns: whether the group existed (false on `ESRCH`).
  @discardableResult
  static func signalGroup(_ group: Int32, _ signal: Int32) -> Bool {
    guard group > 0 else { return false }
    return Glibc.kill(-group, signal) == 0
  }

  /// `kill(-group, 0)`: whether any process (a zombie included) is still in the group.
  static func groupExists(_ group: Int32) -> Bool {
    guard group > 0 else { return false }
    return Glibc.kill(-group, 0) == 0 || Errno.current == Errno(rawValue: EPERM)
  }

  /// `waitid(P_PID, pid, WEXITED | WNOHANG | WNOWAIT)`: whether our child `pid` has
  /// ended. Does not reap it: swift-subprocess does that, exactly once.
  static func hasExited(_ pid: Int32) -> Bool {
    var info = siginfo_t()
    guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else {
      // ECHILD: already reaped, or not ours.
      return true
    }
    return exitedPID(info) != 0
  }

  /// `waitid(P_PID, pid, WEXITED | WNOHANG | WNOWAIT)` succeeding: `pid` is still our child,
  /// running or a zombie nobody reaped. Reaps nothing.
  static func isUnreapedChild(_ pid: Int32) -> Bool {
    guard pid > 0 else { return false }
    var info = siginfo_t()
    return waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0
  }

  private static func exitedPID(_ info: siginfo_t) -> pid_t {
    #if canImport(Glibc) || canImport(Musl)
      info._sifields._sigchld.si_pid
    #else
      info.si_pid
    #endif
  }

  /// Whether a process in the group is still alive (not a zombie waiting for its parent).
  ///
  /// On Linux this reads `/proc/*/stat` (only when `kill(-group, 0)` says the group is not
  /// empty): orphaned grandchildren that died stay in the group as zombies until init reaps
  /// them, and some container inits never do. Elsewhere, any member counts as alive.
  static func groupHasLiveMembers(_ group: Int32) -> Bool {
    guard groupExists(group) else { return false }
    #if os(Linux)
      var live = false
      let scanned = scanProcesses { info in
        live = info.group == group && info.state != "Z"
        return live
      }
      // If /proc cannot be read, the group counts as alive.
      return live || !scanned
    #else
      return true
    #endif
  }

  /// The live (not zombie) members of the group, from `/proc` (Linux only; empty
  /// elsewhere or if `/proc` cannot be read).
  static func liveMembers(of group: Int32) -> [Int32] {
    var members: [Int32] = []
    _ = scanProcesses { info in
      if info.group == group && info.state != "Z" { members.append(info.pid) }
      return false
    }
    return members
  }

  /// What `/proc/PID/stat` says about a process.
  struct ProcessInfo {
    var pid: Int32
    /// `R`, `S`, `Z` (a zombie: dead, not yet reaped), ...
    var state: Character
    var parent: Int32
    var group: Int32
    var command: String
  }

  /// Every process on the machine, from `/proc` (Linux only; empty elsewhere).
  static func processes() -> [ProcessInfo] {
    var found: [ProcessInfo] = []
    _ = scanProcesses { info in
      found.append(info)
      return false
    }
    return found
  }

  /// Calls `visit` with each process in `/proc` until it returns true (Linux only).
  /// - Returns: false if `/proc` could not be read.
  static func scanProcesses(until visit: (ProcessInfo) -> Bool) -> Bool {
    #if os(Linux)
      guard let directory = opendir("/proc") else { return false }
      defer { closedir(directory) }
      while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if let pid = Int32(name), let info = processInfo(pid), visit(info) { break }
      }
      return true
    #else
      return false
    #endif
  }

  /// State, parent, process group and command name of `pid`, from `/proc/PID/stat`
  /// (Linux only).
  static func processInfo(_ pid: Int32) -> ProcessInfo? {
    #if os(Linux)
      let descriptor = Glibc.open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else { return nil }
      defer { Syscall.close(descriptor) }
      var buffer = [UInt8](repeating: 0, count: 1024)
      let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      guard count > 0 else { return nil }
      // "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses.
      let text = String(decoding: buffer.prefix(count), as: UTF8.self)
      guard let commStart = text.firstIndex(of: "("), let commEnd = text.lastIndex(of: ")")
      else { return nil }
      let fields = text[text.index(after: commEnd)...].split(separator: " ")
      guard fields.count > 3, let state = fields[0].first, let parent = Int32(fields[1]),
        let group = Int32(fields[2])
      else { return nil }
      let command = String(text[text.index(after: commStart)..<commEnd])
      return ProcessInfo(pid: pid, state: state, parent: parent, group: group, command: command)
    #else
      return nil
    #endif
  }

  /// `waitpid(pid, WNOHANG)`: reaps `pid` if it is a child of ours that has ended.
  /// Only for a pid nobody else will wait for (an adopted orphan).
  static func reapIfEnded(_ pid: Int32) {
    var status: Int32 = 0
    _ = waitpid(pid, &status, WNOHANG)
  }

  /// `kill(pid, SIGKILL)`.
  static func killProcess(_ pid: Int32) {
    guard pid > 0 else { return }
    _ = Glibc.kill(pid, SIGKILL)
  }

  /// `access(path, F_OK)`: whether anything exists at `path`.
  static func fileExists(_ path: String) -> Bool {
    access(path, F_OK) == 0
  }

  // MARK: - Waiting for exits (ProcessExits)

  /// `pidfd_open(pid, 0)`: a descriptor that polls readable once `pid` has exited.
  enum ExitDescriptor {
    case descriptor(Int32)
    /// No process has that pid any more (`ESRCH`): it has exited and been reaped.
    case gone
    /// No pidfds here (not Linux, or a kernel older than 5.3): poll ``hasExited(_:)``.
    case unsupported
  }

  static func openExitDescriptor(_ pid: Int32) -> ExitDescriptor {
    let descriptor = asyncscope_pidfd_open(pid)
    if descriptor >= 0 { return .descriptor(descriptor) }
    return Errno.current == Errno(rawValue: ESRCH) ? .gone : .unsupported
  }

  /// `pipe2(O_CLOEXEC)` with a non-blocking read end: a wake-up pipe.
  static func wakePipe() -> (read: Int32, write: Int32)? {
    var ends: [Int32] = [-1, -1]
    guard asyncscope_pipe_cloexec(&ends) == 0 else { return nil }
    _ = setNonBlocking(ends[0])
    _ = setNonBlocking(ends[1])
    return (ends[0], ends[1])
  }

  /// `write(fd, 1 byte)`: wakes the thread polling the read end (a full pipe already does).
  static func wake(_ fd: Int32) {
    var byte: UInt8 = 1
    _ = Glibc.write(fd, &byte, 1)
  }

  /// Reads whatever a wake-up pipe holds, without blocking.
  static func drain(_ fd: Int32) {
    var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
    while withUnsafeMutableBytes(of: &bytes, { Glibc.read(fd, $0.baseAddress, $0.count) }) > 0 {}
  }

  /// `poll(2)` for readability of `descriptors`, up to `timeout` (`nil`: no limit);
  /// returns the indices of those that are ready (readable, hung up or invalid).
  /// Blocks: only for a dedicated thread.
  static func pollReadable(_ descriptors: [Int32], timeout: Duration?) -> [Int] {
    var entries = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    let milliseconds =
      timeout.map {
        Int32($0.components.seconds * 1000)
          + Int32($0.components.attoseconds / 1_000_000_000_000_000)
      } ?? -1
    let count = poll(&entries, nfds_t(entries.count), milliseconds)
    guard count > 0 else { return [] }
    return entries.indices.filter { entries[$0].revents != 0 }
  }

  /// `close(2)`.
  static func closeDescriptor(_ fd: Int32) {
    close(fd)
  }

  /// `strerror(3)`, as ``Errno`` words it: the C library's words for an errno, which
  /// Python's `OSError` uses too ("No such file or directory").
  static func reason(_ errno: Int32) -> String {
    Errno(rawValue: errno).description
  }

  static let noSuchFile = ENOENT
  static let permissionDenied = EACCES
  static let notPermitted = EPERM
  static let sigterm = SIGTERM
  static let sigkill = SIGKILL

  /// The trace's name for a signal number.
  static func name(of signal: Int32) -> String {
    switch signal {
    case SIGTERM: "SIGTERM"
    case SIGKILL: "SIGKILL"
    case SIGINT: "SIGINT"
    default: "signal \(signal)"
    }
  }
}

// MARK: - The exec trampoline and the subreaper (CAsyncScope's C)

extension Syscall {
  /// `prctl(PR_SET_CHILD_SUBREAPER)`: whether this process is a subreaper now.
  static func becomeChildSubreaper() -> Bool {
    asyncscope_become_child_subreaper() == 0
  }

  /// `prctl(PR_GET_CHILD_SUBREAPER)`: whether this process is a subreaper.
  static var isChildSubreaper: Bool {
    asyncscope_is_child_subreaper() != 0
  }

  /// Whether the exec trampoline's constructor can run here (Linux, glibc, AsyncScope in
  /// the main executable).
  static var execTrampolineAvailable: Bool {
    asyncscope_exec_trampoline_available() != 0
  }

  /// The `argv[0]` that makes this executable run as the trampoline.
  static var execTrampolineMarker: String {
    String(cString: asyncscope_exec_trampoline_marker())
  }

  /// `pipe2(O_CLOEXEC)` with only the read end non-blocking: the trampoline's exec report
  /// pipe, whose write end becomes the trampoline's standard input.
  static func reportPipe() -> (read: Int32, write: Int32)? {
    var ends: [Int32] = [-1, -1]
    guard asyncscope_pipe_cloexec(&ends) == 0 else { return nil }
    _ = setNonBlocking(ends[0])
    return (ends[0], ends[1])
  }
}
