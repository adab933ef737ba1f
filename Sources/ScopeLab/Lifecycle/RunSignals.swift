import LineEditor

/// Ctrl-C and the stop signals around one command that runs programs (`run`, `replay`,
/// `compare`): Ctrl-C goes to the run controller (at a terminal after ending the echoed
/// `^C` line), SIGTERM, SIGHUP and a closed output pipe cancel the run (``StopSignal``).
public enum RunSignals {
  /// Runs `body` with the signals wired to `controller`; its exit status, or 128 + the
  /// stop signal that ended it.
  ///
  /// - Parameter outsideRun: what a Ctrl-C does while no run is under way (`replay` and
  ///   `compare` quit: `"replay interrupted"`); `nil`, it goes to the controller, which
  ///   ignores it.
  public static func handling(
    _ controller: RunController, output: StandardOutput,
    quittingOutsideRun outsideRun: String? = nil,
    while body: () async -> Int32
  ) async -> Int32 {
    Signals.shared.catchInterrupts()
    let interrupts = Signals.shared.interrupts()
    let listener = Task {
      for await _ in interrupts {
        if Terminal.isInteractive && output.isTerminal { output.write("\n") }
        if let outsideRun, !controller.isRunning {
          // Between runs (typing, a pause) nothing needs cleaning up: stop now.
          LastResort.quitNow(status: 130, reason: outsideRun)
        } else {
          controller.interrupt()
        }
      }
    }
    let stopped = StopSignal(controller: controller)
    let status = await body()
    stopped.stop()
    listener.cancel()
    // Like the REPL: a run ended by SIGTERM or SIGHUP exits 128 + the signal, not 130.
    return stopped.signal.map { 128 + $0 } ?? status
  }
}
