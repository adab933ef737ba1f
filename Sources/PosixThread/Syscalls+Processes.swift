import Glibc

// Signals to other processes, process groups, and leaving the process.

extension Syscall {
  /// `kill(2)`: sends `signal` to `pid` (to the group `-pid` when negative); whether it
  /// was sent (`signal` 0 only asks whether the target exists).
  @discardableResult
  package static func kill(_ pid: CInt, _ signal: CInt) -> Bool {
    Glibc.kill(pid, signal) == 0
  }

  /// `getpgrp(2)`: this process's process group.
  package static func processGroup() -> CInt {
    getpgrp()
  }

  /// `getpgid(2)`: the process group of `pid`, or -1 when there is no such process.
  package static func processGroup(of pid: CInt) -> CInt {
    getpgid(pid)
  }

  /// `atexit(3)`: `handler` runs at a normal exit.
  package static func atExit(_ handler: @escaping @convention(c) () -> Void) {
    _ = Glibc.atexit(handler)
  }

  /// `exit(3)`: the `atexit` handlers run, then the process ends with `status`.
  package static func exit(_ status: CInt) -> Never {
    Glibc.exit(status)
  }

  /// `_exit(2)`: the process ends with `status` at once; async-signal-safe.
  package static func exitNow(_ status: CInt) -> Never {
    Glibc._exit(status)
  }
}

extension Syscall {
  /// `getppid(2)`.
  package static func parentProcessID() -> CInt {
    getppid()
  }

  /// `unsetenv(3)`.
  package static func removeEnvironment(_ name: String) {
    _ = unsetenv(name)
  }

  /// `nanosleep(2)`: blocks the calling thread for `delay` - only where no task runs
  /// (the way out of the process).
  package static func sleepBlocking(for delay: Duration) {
    let (seconds, attoseconds) = delay.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
  }

  /// `clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`: the CPU time the process has used so
  /// far, all threads.
  package static func processCPUTime() -> Duration {
    cpuTime(CLOCK_PROCESS_CPUTIME_ID)
  }

  /// `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`: the CPU time the calling thread has used
  /// so far - what synchronous work costs, whatever else the process does beside it.
  package static func threadCPUTime() -> Duration {
    cpuTime(CLOCK_THREAD_CPUTIME_ID)
  }

  private static func cpuTime(_ clock: clockid_t) -> Duration {
    var time = timespec()
    clock_gettime(clock, &time)
    return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
  }
}
