import AsyncScope
import Dispatch
import LineEditor
import ScopeLab

#if canImport(Glibc)
  import Glibc
#endif

/// What must happen on every way out, even a crash: no child process outlives scopelab,
/// and the terminal is restored.
///
/// Each child also dies with scopelab by itself (AsyncScope arms `PR_SET_PDEATHSIG` in
/// it), even when scopelab is killed with SIGKILL. What only these exits can do: kill the
/// rest of each child's process group, and the orphans scopelab adopted as their reaper
/// (``ScopeLabCommand`` makes it one at start-up) - a grandchild that called `setsid`
/// escapes the group signal and becomes scopelab's child when its parent dies.
enum LastResort {
  /// Installs handlers for fatal signals and an `atexit` hook.
  static func install() {
    atexit(lastResortAtExit)
    for number in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT] {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = lastResortSignal
      action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
      sigemptyset(&action.sa_mask)
      sigaction(number, &action, nil)
    }
  }
}

extension LastResort {
  /// Kills every child, restores the terminal and exits now, saying why.
  static func quitNow(status: Int32, reason: String) -> Never {
    StandardOutput(.error).write("\nscopelab: \(reason) - quitting now\n")
    TranscriptRecorder.finishAllOpen()
    lastResortCleanUp()
    _exit(status)
  }

  /// Quits with `status` unless the process has exited by itself after `seconds`: a run
  /// whose body never suspends cannot be cancelled, and a stop signal must still stop.
  static func quitAfter(seconds: Double, status: Int32, reason: String) {
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
      quitNow(status: status, reason: reason)
    }
  }
}

/// Kills every child's process group, then every orphan scopelab adopted (reading
/// `/proc`, so not from a signal handler), and restores the terminal.
private func lastResortCleanUp() {
  ProcessScope.killAllLiveGroups()
  ProcessOrphans.killAdoptedNow()
  Terminal.restore()
}

private func lastResortAtExit() {
  lastResortCleanUp()
}

/// A fatal signal: clean up what is async-signal-safe to, then die of it as if nothing
/// had been installed. The children die with scopelab (their death signal); adopted
/// orphans are not looked for here.
private func lastResortSignal(_ number: Int32) {
  ProcessScope.killAllLiveGroups()
  Terminal.restore()
  raise(number)
}
