import PosixThread

/// What is still on the machine of a child that a process scope started, after its run:
/// PR2 says nothing may be.
public enum ProcessLeftover: Sendable, Equatable {
  /// The child itself was never reaped: it still runs, or is a zombie.
  case unreaped
  /// The child is gone, but a process of its group (a grandchild) is still alive.
  case liveGroupMember

  /// Asks the operating system what is left of the child `pid` (a process scope's child is
  /// the leader of its own process group): `nil` when nothing is.
  ///
  /// Reaps nothing and signals nothing; a zombie grandchild waiting for init does not count.
  public static func check(pid: Int32) -> ProcessLeftover? {
    if Syscall.isUnreapedChild(pid) { return .unreaped }
    if Syscall.groupHasLiveMembers(pid) { return .liveGroupMember }
    return nil
  }
}
