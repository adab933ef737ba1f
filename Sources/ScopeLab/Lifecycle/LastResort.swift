import AsyncScope
import Dispatch
import LineEditor
import PosixThread
import Synchronization

/// What must happen on every way out, even a crash: no child process outlives scopelab,
/// and the terminal is restored.
///
/// Each child also dies with scopelab by itself (AsyncScope arms `PR_SET_PDEATHSIG` in
/// it), even when scopelab is killed with SIGKILL. What only these exits can do: kill the
/// rest of each child's process group, and the orphans scopelab adopted as their reaper
/// (``install()`` makes it one) - a grandchild that called `setsid` escapes the group
/// signal and becomes scopelab's child when its parent dies.
public enum LastResort {
  /// Makes scopelab the reaper of its orphaned descendants, and installs the clean-up
  /// for a normal exit (`atexit`) and for a fatal signal. Call it first thing.
  public static func install() {
    ProcessOrphans.becomeReaper()
    Syscall.atExit(lastResortAtExit)
    Signals.onCrash(lastResortCrash)
  }

  /// Kills every child, restores the terminal and exits now, saying why.
  ///
  /// The status is final: a thread that ends the process its own way meanwhile (a run
  /// that failed because its child was killed, returning its own status) exits with this
  /// one too - the clean-up at exit, which every `exit` runs, ends with it.
  public static func quitNow(status: Int32, reason: String) -> Never {
    quitStatus.store(status, ordering: .sequentiallyConsistent)
    StandardOutput(.error).write("\nscopelab: \(reason) - quitting now\n")
    TranscriptRecorder.finishAllOpen()
    lastResortAtExit()
    Syscall.exitNow(status)
  }

  /// Quits with `status` unless the process has exited by itself after `seconds`: a run
  /// whose body never suspends cannot be cancelled, and a stop signal must still stop.
  static func quitAfter(seconds: Double, status: Int32, reason: String) {
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
      quitNow(status: status, reason: reason)
    }
  }
}

/// The status ``LastResort/quitNow(status:reason:)`` quits with, once it has begun; 0
/// before.
private let quitStatus = Atomic<Int32>(0)

/// Kills every child's process group, then every orphan scopelab adopted (reading
/// `/proc`, so not from a signal handler), and restores the terminal. Once a quit has
/// begun, exits with its status, whichever thread got here.
private func lastResortAtExit() {
  ProcessScope.killAllLiveGroups()
  ProcessOrphans.killAdoptedNow()
  Terminal.restore()
  let quitting = quitStatus.load(ordering: .sequentiallyConsistent)
  if quitting != 0 { Syscall.exitNow(quitting) }
}

/// A fatal signal: only what is async-signal-safe. The children die with scopelab (their
/// death signal); adopted orphans are not looked for here.
private func lastResortCrash() {
  ProcessScope.killAllLiveGroups()
  Terminal.restore()
}
