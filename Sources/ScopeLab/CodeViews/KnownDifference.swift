/// Where the Python view of a program behaves differently from scopelab's own run of
/// it by design: what a learner moving between Swift and asyncio needs to know.
/// `compare` names these; a test shows each one.
public enum KnownDifference: String, Sendable, CaseIterable {
  /// `busy` blocks asyncio's single-threaded loop, so a deadline cannot fire during it.
  case busyBlocksTheLoop
  /// A task group whose tasks fail raises an `ExceptionGroup` in Python, its first error in Swift.
  case exceptionGroup
  /// A group's exit begins when its body ends in Python (`__aexit__` waits for the
  /// tasks); in Swift after its tasks have ended.
  case exitOrder
  /// A new asyncio task first runs when its creator awaits; a Swift child task starts at once.
  case taskStartsLater

  /// One line for `compare`.
  public var explanation: String {
    switch self {
    case .busyBlocksTheLoop:
      "busy blocks asyncio's event loop, so no deadline fires during it; "
        + "Swift's deadline fires and cancels (cancellation is seen at the next await)"
    case .exceptionGroup:
      "a failing asyncio.TaskGroup raises ExceptionGroup (catch it with except*); "
        + "a Swift task group rethrows its first error"
    case .exitOrder:
      "asyncio.TaskGroup's __aexit__ begins when the body ends and then waits for the tasks; "
        + "the Swift group's exit begins after its tasks have ended"
    case .taskStartsLater:
      "an asyncio task first runs when the task that created it awaits; "
        + "a Swift child task starts running at once, in parallel"
    }
  }

  /// A short program that shows it.
  public var example: String {
    switch self {
    case .busyBlocksTheLoop: "timeout 0.05 { busy 0.15 }"
    case .exceptionGroup: "group { task { throw KeyError } }"
    case .exitOrder: "group { task { sleep 0.05 } }"
    case .taskStartsLater: "group { task { print task }; print body }"
    }
  }
}
