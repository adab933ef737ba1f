import AsyncScope
import Dispatch
import LineEditor
import ScopeLab

#if canImport(Glibc)
  import Glibc
#endif

/// What must happen on every way out, even a crash: no child process outlives scopelab,
/// and the terminal is restored.
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

private func lastResortCleanUp() {
  ProcessScope.killAllLiveGroups()
  Terminal.restore()
}

private func lastResortAtExit() {
  lastResortCleanUp()
}

/// A fatal signal: clean up, then die of it as if nothing had been installed.
private func lastResortSignal(_ number: Int32) {
  lastResortCleanUp()
  raise(number)
}
