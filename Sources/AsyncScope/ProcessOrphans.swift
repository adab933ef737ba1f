import PosixThread

/// Orphans this process adopted: descendants that outlived their parent.
///
/// A process scope's child is torn down with its whole process group, but a grandchild
/// that left the group (`setsid`, `setpgid`) escapes that signal, and one whose parent
/// died is no longer anyone's child we know. An app that calls ``becomeReaper()`` at
/// start-up (`PR_SET_CHILD_SUBREAPER`) gets every such orphan of its descendants as its
/// own child instead of init's, and ``killAdopted()`` then finds, kills and reaps them.
///
/// Only orphans are touched: a child a scope still owns is left to the scope, and only
/// the pids found here are reaped, one by one (`waitpid(pid)`, never `waitpid(-1)`), so
/// no child that swift-subprocess is waiting for is reaped behind its back. Call
/// ``killAdopted()`` only while this process spawns nothing (between runs, on the way
/// out): a child spawned a moment ago and not yet owned by a scope, or one started by
/// other means, looks just like an orphan. Linux only; elsewhere nothing is adopted.
public enum ProcessOrphans {
  /// An adopted orphan that was still running.
  public struct Stray: Sendable, Equatable {
    public let pid: Int32
    /// Its command name, as `/proc/PID/stat` gives it (at most 15 bytes).
    public let command: String

    public init(pid: Int32, command: String) {
      self.pid = pid
      self.command = command
    }
  }

  /// How long ``killAdopted()`` goes on killing orphans that the killed ones leave.
  static let sweepLimit = Duration.seconds(2)
  static let sweepPause = Duration.milliseconds(2)

  /// Makes this process the reaper of the orphans among its descendants
  /// (`prctl(PR_SET_CHILD_SUBREAPER)`). Returns whether it is one now.
  @discardableResult
  public static func becomeReaper() -> Bool {
    Syscall.becomeChildSubreaper()
  }

  /// Whether this process is a subreaper, so that orphans below it become its children.
  public static var isReaper: Bool {
    Syscall.isChildSubreaper
  }

  /// The children of this process that no process scope owns: orphans it adopted, alive
  /// or zombies. Empty unless this process is a subreaper.
  static func adopted() -> [Syscall.ProcessInfo] {
    guard isReaper else { return [] }
    let me = Syscall.processID()
    let owned = ProcessRegistry.groups
    return Syscall.processes().filter { $0.parent == me && !owned.contains($0.pid) }
  }

  /// Kills and reaps every adopted orphan, and the orphans their deaths leave in turn,
  /// until none is left (for 2 s at the most). Waits with `Task.sleep`.
  ///
  /// - Returns: the orphans that were still running when found (zombies are only reaped).
  @discardableResult
  public static func killAdopted() async -> [Stray] {
    var killed: [Stray] = []
    let clock = ContinuousClock()
    let giveUp = clock.now.advanced(by: sweepLimit)
    while sweep(into: &killed) && clock.now < giveUp {
      try? await clock.sleep(for: sweepPause)
    }
    return killed
  }

  /// ``killAdopted()`` for the way out, where no task runs: blocks with `usleep`. Not
  /// async-signal-safe (it reads `/proc`).
  ///
  /// It kills but reaps nothing: on the way out a zombie goes with this process, and a
  /// child that looks adopted may be one another thread still waits for (a child spawned
  /// by other means than a scope, such as compare's Python: reaping it here would make
  /// that wait fail with ECHILD, and its caller exit with its own status before this one).
  /// It goes on until no adopted orphan is left running.
  @discardableResult
  public static func killAdoptedNow() -> [Stray] {
    var killed: [Stray] = []
    let clock = ContinuousClock()
    let giveUp = clock.now.advanced(by: sweepLimit)
    while sweep(into: &killed, reaping: false) && clock.now < giveUp {
      Syscall.sleepBlocking(for: sweepPause)
    }
    return killed
  }

  /// One round: SIGKILL every adopted orphan still running and, if `reaping`, reap every
  /// one that has ended. Returns whether any was found (the next round may find the ones
  /// they left): alive or a zombie when reaping, alive when not.
  private static func sweep(into killed: inout [Stray], reaping: Bool = true) -> Bool {
    let orphans = adopted()
    var running = false
    for orphan in orphans {
      if orphan.state != "Z" {
        running = true
        if !killed.contains(where: { $0.pid == orphan.pid }) {
          killed.append(Stray(pid: orphan.pid, command: orphan.command))
        }
        Syscall.killProcess(orphan.pid)
      }
      if reaping { Syscall.reapIfEnded(orphan.pid) }
    }
    return reaping ? !orphans.isEmpty : running
  }
}
