import Foundation
import TestSupport

/// Reads `/proc` to check that a process test left nothing behind: no live child, no
/// zombie of ours, and nothing alive in the child's process group.
enum ProcessInspection {
  typealias Entry = ProcessTable.Entry

  /// Every process whose `/proc/PID/stat` could be read.
  static func processes() -> [Entry] {
    ProcessTable().entries
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
