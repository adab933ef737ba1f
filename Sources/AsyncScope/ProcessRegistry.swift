import PosixThread
import Synchronization

/// Process-wide bookkeeping of the process scopes: which child process groups are alive,
/// and which teardowns are in their grace period.
///
/// The app uses it through ``ProcessScope/killAllLiveGroups()`` (on quit or a fatal
/// signal) and ``ProcessScope/escalateTeardowns()`` (a second Ctrl-C, REPL1).
enum ProcessRegistry {
  /// Process group ids of children that are (or may still be) alive.
  private static let liveGroups = Mutex<Set<Int32>>([])
  /// Teardowns waiting out their grace period, by a token; calling one ends its grace.
  private static let teardowns = Mutex<[Int: @Sendable () -> Void]>([:])
  private static let nextToken = Atomic<Int>(0)

  static func addGroup(_ group: Int32) {
    liveGroups.withLock { _ = $0.insert(group) }
  }

  static func removeGroup(_ group: Int32) {
    liveGroups.withLock { _ = $0.remove(group) }
  }

  /// The live groups now: each is also the pid of a child a scope will reap.
  static var groups: Set<Int32> {
    liveGroups.withLock { $0 }
  }

  /// Sends SIGKILL to every live group without waiting or allocating.
  ///
  /// Takes the lock only if it is free (retrying briefly), so it cannot deadlock when a
  /// signal handler interrupts a thread that holds it.
  static func killAllGroups() -> Int {
    for _ in 0..<10_000 {
      let killed = liveGroups.withLockIfAvailable { groups in
        var count = 0
        for group in groups where Syscall.signalGroup(group, Syscall.sigkill) {
          count += 1
        }
        return count
      }
      if let killed { return killed }
    }
    return 0
  }

  /// Registers a teardown's escalation; returns the token to remove it with.
  static func addTeardown(_ escalation: @escaping @Sendable () -> Void) -> Int {
    let token = nextToken.add(1, ordering: .relaxed).newValue
    teardowns.withLock { $0[token] = escalation }
    return token
  }

  static func removeTeardown(_ token: Int) {
    teardowns.withLock { _ = $0.removeValue(forKey: token) }
  }

  /// How many teardowns are waiting out their grace period now.
  static var teardownCount: Int {
    teardowns.withLock { $0.count }
  }

  /// Calls every registered escalation; returns how many there were.
  static func escalateAll() -> Int {
    let escalations = teardowns.withLock { Array($0.values) }
    for escalate in escalations { escalate() }
    return escalations.count
  }
}
