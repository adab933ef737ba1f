import PosixThread
import Synchronization

/// Tells when processes exit, without polling: one `pidfd` per process (`pidfd_open(2)`,
/// readable once the process has exited), all watched by one dedicated thread in `poll(2)`;
/// it also tells when the exec trampoline's report pipe can be read (``onReadable(_:_:)``).
///
/// It only observes: nothing is reaped here, so a child's owner (swift-subprocess) still
/// reaps it exactly once, and a pid watched before its owner reaps it cannot be reused
/// meanwhile. The callbacks run on the watcher thread and must not block (fulfilling a
/// ``ProcessLatch`` is what they do). Where there are no pidfds (not Linux, or a kernel
/// older than 5.3) the same thread checks its children with `waitid(WNOWAIT)` every
/// ``fallbackInterval`` instead.
///
/// The one way AsyncScope and ScopeLab wait for a process to exit: the drain watchdog and
/// the teardown of a process scope's child, the teardown of a `compare` Python run.
package final class ProcessExits: Sendable {
  /// The process-wide watcher; its thread starts on first use.
  package static let shared = ProcessExits()

  /// How often a child is checked where there are no pidfds.
  static let fallbackInterval = Duration.milliseconds(10)

  private struct Watch {
    /// The process, for a check with `waitid` where there are no pidfds.
    let pid: Int32?
    /// The pidfd or other descriptor polled for readability.
    let descriptor: Int32?
    /// Whether the descriptor is closed here once it was ready (a pidfd).
    let closes: Bool
    let onExit: @Sendable () -> Void
  }

  private struct State {
    var watches: [Int: Watch] = [:]
    var nextID = 0
    /// The wake-up pipe, once the thread runs.
    var wake: (read: Int32, write: Int32)?
  }

  private let state = Mutex(State())

  private init() {}

  /// Calls `onExit` once, on the watcher thread, as soon as `pid` has exited (or at once,
  /// here, if no process has that pid any more). `pid` must not be reaped by anyone
  /// before it exits, so that it cannot be reused meanwhile: watch a child before its
  /// owner may reap it.
  package func onExit(of pid: Int32, _ onExit: @escaping @Sendable () -> Void) {
    let descriptor: Int32?
    switch Syscall.openExitDescriptor(pid) {
    case .descriptor(let opened): descriptor = opened
    case .gone:
      onExit()
      return
    case .unsupported: descriptor = nil
    }
    add(Watch(pid: pid, descriptor: descriptor, closes: true, onExit: onExit))
  }

  /// Calls `onReady` once, on the watcher thread, as soon as `descriptor` is readable
  /// (or at end of file, or hung up). The descriptor stays the caller's: it must stay
  /// open until then.
  package func onReadable(_ descriptor: Int32, _ onReady: @escaping @Sendable () -> Void) {
    add(Watch(pid: nil, descriptor: descriptor, closes: false, onExit: onReady))
  }

  private func add(_ watch: Watch) {
    let wake = state.withLock { state -> Int32? in
      if state.wake == nil {
        guard let pipe = Syscall.wakePipe() else { return nil }
        guard PosixThread.start({ [self] in run(wakeUp: pipe.read) }) else {
          Syscall.closeDescriptor(pipe.read)
          Syscall.closeDescriptor(pipe.write)
          return nil
        }
        state.wake = pipe
      }
      state.nextID += 1
      state.watches[state.nextID] = watch
      return state.wake?.write
    }
    guard let wake else {
      // No thread could be started: a child is checked from a task instead; a descriptor
      // is reported at once (a read that finds nothing then waits on its own).
      if watch.closes, let descriptor = watch.descriptor {
        Syscall.closeDescriptor(descriptor)
      }
      guard let pid = watch.pid else {
        watch.onExit()
        return
      }
      Task {
        while !Syscall.hasExited(pid) {
          try? await Task.sleep(for: Self.fallbackInterval)
        }
        watch.onExit()
      }
      return
    }
    Syscall.wake(wake)
  }

  /// A latch fulfilled once `pid` has exited (see ``onExit(of:_:)``).
  package func exit(of pid: Int32) -> ProcessLatch<Void> {
    let exited = ProcessLatch<Void>()
    onExit(of: pid) { exited.fulfil(()) }
    return exited
  }

  /// Returns once every process in `pids` has exited, or `limit` has passed.
  func allExited(_ pids: [Int32], within limit: Duration) async {
    let timeUp = ProcessLatch<Void>()
    let timer = ArmedTimer.after(limit, on: ContinuousClock()) { timeUp.fulfil(()) }
    await allExited(pids, orUntil: timeUp)
    timer.cancel()
  }

  /// Returns once every process in `pids` has exited, or `stop` is fulfilled.
  func allExited(_ pids: [Int32], orUntil stop: ProcessLatch<Void>) async {
    guard !pids.isEmpty else { return }
    let done = ProcessLatch<Void>()
    let remaining = Mutex(pids.count)
    stop.whenFulfilled { done.fulfil(()) }
    for pid in pids {
      onExit(of: pid) {
        if remaining.withLock({ count in
          count -= 1
          return count == 0
        }) {
          done.fulfil(())
        }
      }
    }
    await done.waitUncancelled()
  }

  /// The watcher thread: polls the wake-up pipe and every pidfd, and calls the callbacks
  /// of the processes that exited.
  private func run(wakeUp: Int32) {
    while true {
      let (ids, descriptors, fallback) = state.withLock { state in
        var ids: [Int] = []
        var descriptors: [Int32] = [wakeUp]
        var fallback = false
        for (id, watch) in state.watches {
          if let descriptor = watch.descriptor {
            ids.append(id)
            descriptors.append(descriptor)
          } else {
            fallback = true
          }
        }
        return (ids, descriptors, fallback)
      }
      let ready = Syscall.pollReadable(
        descriptors, timeout: fallback ? Self.fallbackInterval : nil)
      var exitedIDs = ready.filter { $0 > 0 }.map { ids[$0 - 1] }
      if ready.contains(0) { Syscall.drain(wakeUp) }
      let exited = state.withLock { state -> [Watch] in
        if fallback {
          for (id, watch) in state.watches
          where watch.descriptor == nil && watch.pid.map(Syscall.hasExited) ?? true {
            exitedIDs.append(id)
          }
        }
        return exitedIDs.compactMap { state.watches.removeValue(forKey: $0) }
      }
      for watch in exited {
        if watch.closes, let descriptor = watch.descriptor {
          Syscall.closeDescriptor(descriptor)
        }
        watch.onExit()
      }
    }
  }
}
