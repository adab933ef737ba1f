public import Glibc

/// The processes on this machine, read from `/proc`: who is alive, whose child, in
/// which process group. For checking that no child outlives a run.
public struct ProcessTable: Sendable {
  /// One process as `/proc/PID/stat` describes it.
  public struct Entry: Sendable, Equatable, CustomStringConvertible {
    public var pid: pid_t
    public var parent: pid_t
    public var group: pid_t
    /// `R`, `S`, `Z` (a zombie: dead, not yet reaped), ...
    public var state: Character
    public var command: String

    public var description: String {
      "pid \(pid) (\(command)) state \(state) parent \(parent) group \(group)"
    }
  }

  public let entries: [Entry]

  /// Reads the table now.
  public init() {
    var entries: [Entry] = []
    if let directory = opendir("/proc") {
      defer { closedir(directory) }
      while let item = readdir(directory) {
        let name = withUnsafeBytes(of: item.pointee.d_name) { bytes in
          String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        if let pid = pid_t(name), let entry = Self.entry(pid) { entries.append(entry) }
      }
    }
    self.entries = entries
  }

  /// The process with this id, if it exists (a zombie included).
  public static func entry(_ pid: pid_t) -> Entry? {
    guard let stat = readSmallFile("/proc/\(pid)/stat"),
      let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
    else { return nil }
    let command = String(stat[stat.index(after: open)..<close])
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 3, let state = fields[0].first,
      let parent = pid_t(fields[1]), let group = pid_t(fields[2])
    else { return nil }
    return Entry(pid: pid, parent: parent, group: group, state: state, command: command)
  }

  /// The children of `pid`.
  public func children(of pid: pid_t) -> [Entry] {
    entries.filter { $0.parent == pid }
  }

  /// Every process below `pid`: children, grandchildren, ...
  public func descendants(of pid: pid_t) -> [Entry] {
    var found: [Entry] = []
    var frontier = [pid]
    while let next = frontier.popLast() {
      let children = entries.filter { $0.parent == next && !found.contains($0) }
      found += children
      frontier += children.map(\.pid)
    }
    return found
  }

  /// The processes in process group `group`.
  public func members(ofGroup group: pid_t) -> [Entry] {
    entries.filter { $0.group == group }
  }

  /// Reads a file of /proc (small, not seekable) as text.
  static func readSmallFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1024)
    while true {
      let count = read(fd, &buffer, buffer.count)
      if count <= 0 { break }
      result += buffer[0..<count]
    }
    return String(decoding: result, as: UTF8.self)
  }
}

extension ProcessTable {
  /// Kills (SIGKILL) every process below `pid` and every process in their groups:
  /// the clean-up of a test that failed half-way. Does not touch `pid` itself.
  public static func killDescendants(of pid: pid_t) {
    let table = ProcessTable()
    let below = table.descendants(of: pid)
    for group in Set(below.map(\.group)) where group > 1 && group != getpgrp() {
      kill(-group, SIGKILL)
    }
    for entry in below { kill(entry.pid, SIGKILL) }
  }

  /// Waits up to `timeout` seconds until none of `pids` exists and no process is
  /// in any of `groups`; returns what is still there.
  public static func waitUntilGone(
    pids: [pid_t], groups: [pid_t], timeout: Double = 5
  ) -> [Entry] {
    let deadline = PseudoTerminal.now() + timeout
    while true {
      let table = ProcessTable()
      let left = table.entries.filter { pids.contains($0.pid) || groups.contains($0.group) }
      if left.isEmpty || PseudoTerminal.now() > deadline { return left }
      usleep(50_000)
    }
  }
}
