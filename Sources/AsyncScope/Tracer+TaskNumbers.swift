/// Which task a frame's number (``TraceFrame/task``) belongs to. A task inherits the
/// frames of the task that started it - a task of Swift's own task group, a `Task {}` -
/// so an event from any other task is the event of a task of its own: numbered, as it
/// reports its first event, with the next number (``TaskNumbers``).
enum TaskOwner: Sendable, Equatable {
  /// The task with this runtime id (``currentTaskID()``).
  case task(UInt64)
  /// Any task: the frame of a scope's enter and exit, whose events are the scope's, on
  /// the track of the task that entered it, even from a task exit runs in (W5).
  case anyTask
  /// The first task to report in the frame, whichever it is: the body of a supervising
  /// scope (a timeout, a task group), which runs in a task of its own as its caller's.
  case firstToReport(Int)

  /// The task running now; outside any task, every task.
  static var current: TaskOwner { currentTaskID().map(TaskOwner.task) ?? .anyTask }
}

/// The numbers of the tasks that report in a frame they do not own, and which task took
/// each ``TaskOwner/firstToReport(_:)`` frame.
struct TaskNumbers {
  private var byTask: [UInt64: Int] = [:]
  private var firstReporter: [Int: UInt64] = [:]

  /// The number of the task running now, reporting in `frame`: the frame's own in its
  /// owner's task (or outside any task), otherwise the task's own, given by `next` at its
  /// first event. The runtime never reuses a task id, so a number is never given twice.
  mutating func number(in frame: TraceFrame, next: () -> Int) -> Int {
    switch frame.owner {
    case .anyTask:
      return frame.task
    case .task(let owner):
      guard let current = currentTaskID(), current != owner else { return frame.task }
      return own(current, next: next)
    case .firstToReport(let token):
      guard let current = currentTaskID() else { return frame.task }
      if let number = byTask[current] { return number }
      switch firstReporter[token] {
      case nil:
        firstReporter[token] = current
        return frame.task
      case current?:
        return frame.task
      default:
        return own(current, next: next)
      }
    }
  }

  private mutating func own(_ task: UInt64, next: () -> Int) -> Int {
    if let number = byTask[task] { return number }
    let number = next()
    byTask[task] = number
    return number
  }
}

/// The runtime's id of the task running now, unique in the process (ids are never
/// reused); nil outside a task. The async `main` of a program is the first task: id 1.
func currentTaskID() -> UInt64? {
  withUnsafeCurrentTask { task in
    // A task is a job: the runtime reads the id of either from the same object.
    task.map { jobTaskID(unsafeBitCast($0, to: UnownedJob.self)) }
  }
}

@_silgen_name("swift_task_getJobTaskId")
private func jobTaskID(_ job: UnownedJob) -> UInt64
