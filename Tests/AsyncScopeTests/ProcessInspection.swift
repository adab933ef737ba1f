import Foundation

/// Reads `/proc` to check that a process test left nothing behind: no live child, no
/// zombie of ours, and nothing alive in the child's process group.
enum ProcessInspection {
  struct Entry: Sendable, CustomStringConvertible {
    let pid: Int32
    let command: String
    let state: Character
    let parent: Int32
    let group: Int32

    var description: String { "\(pid) (\(command)) \(state) ppid=\(parent) pgrp=\(group)" }
  }

  /// Every process whose `/proc/PID/stat` could be read.
  static func processes() -> [Entry] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { name in
      guard let pid = Int32(name) else { return nil }
      return entry(pid)
    }
  }

  static func entry(_ pid: Int32) -> Entry? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let open = text.firstIndex(of: "("),
      let close = text.lastIndex(of: ")")
    else { return nil }
    let command = String(text[text.index(after: open)..<close])
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 3, let state = fields[0].first, let parent = Int32(fields[1]),
      let group = Int32(fields[2])
    else { return nil }
    return Entry(pid: pid, command: command, state: state, parent: parent, group: group)
  }

  /// What is left of a child's group: anything alive in it, and any zombie that is ours.
  ///
  /// An orphaned grandchild that died is a zombie of init until init reaps it; some
  /// container inits never do, and that is not ours to clean.
  static func leftovers(group: Int32) -> [Entry] {
    let me = getpid()
    return processes().filter { process in
      (process.group == group || process.pid == group)
        && (process.state != "Z" || process.parent == me)
    }
  }

  /// Zombie children of the test process.
  static func zombieChildren() -> [Entry] {
    let me = getpid()
    return processes().filter { $0.parent == me && $0.state == "Z" }
  }

  /// Polls until the group is clean or `timeout` passes; returns what is still left.
  static func leftoversAfterSettling(
    group: Int32, timeout: Duration = .seconds(2)
  ) async -> [Entry] {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
      let left = leftovers(group: group) + zombieChildren()
      if left.isEmpty || clock.now >= deadline { return left }
      try? await clock.sleep(for: .milliseconds(20))
    }
  }
}
