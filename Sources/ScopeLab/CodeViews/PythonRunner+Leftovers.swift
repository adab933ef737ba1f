import PosixThread
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The Python runs under way, and what a run leaves behind, killed: for quitting at once,
/// and after every run.
extension PythonRunner {
  /// The process groups of the Python runs under way in this process.
  private static let running = Mutex<Set<Int32>>([])

  /// SIGKILL to every Python run under way: for quitting at once (a third Ctrl-C).
  public static func killAllRunning() {
    for group in running.withLock({ $0 }) { Syscall.kill(-group, SIGKILL) }
  }

  static func registerRunning(_ group: Int32) {
    _ = running.withLock { $0.insert(group) }
  }

  static func unregisterRunning(_ group: Int32) {
    _ = running.withLock { $0.remove(group) }
  }

  /// SIGKILL to process group `group` if it still has members.
  static func killGroup(_ group: Int32) {
    guard group > 1, group != Syscall.processGroup(), Syscall.kill(-group, 0) else { return }
    Syscall.kill(-group, SIGKILL)
  }

  /// The pids of children the traced script started (each leads its own process group)
  /// and did not report reaped: a run killed during a process's teardown leaves them.
  static func unreapedChildren(in jsonl: String) -> [Int32] {
    var started: [Int32] = []
    var reaped = Set<Int32>()
    for line in jsonl.split(separator: "\n") {
      guard line.contains(#""pid""#), let fields = try? FlatJSON.parseObject(String(line)),
        let number = fields["pid"]?.number, let pid = Int32(exactly: number)
      else { continue }
      switch fields["event"]?.string {
      case "started": started.append(pid)
      case "reaped": reaped.insert(pid)
      default: break
      }
    }
    return started.filter { !reaped.contains($0) }
  }
}
