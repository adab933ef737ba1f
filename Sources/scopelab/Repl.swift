import LineEditor
import ScopeLab
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Wiring for the REPL: the right line reader, signals, the session.
struct Repl {
  let lesson: String?
  let color: ColorChoice

  func run() async -> Int32 {
    LastResort.install()
    let output = StandardOutput(.output)
    let interactive = Terminal.isInteractive
    let reader: any LineReader
    if interactive, let editor = EditLineReader(program: "scopelab") {
      reader = editor
    } else {
      reader = PlainLineReader()
      _ = Interrupts.shared.install()
    }
    let interrupts = Interrupts.shared.events()
    let palette = Palette.decide(
      choice: color, isTerminal: output.isTerminal, environment: currentEnvironment())
    let controller = RunController(forceQuit: {
      LastResort.quitNow(status: 130, reason: "third Ctrl-C")
    })
    let session = Session(
      output: output, errors: StandardOutput(.error), palette: palette, controller: controller)
    let stopped = StopSignal()
    let signals = SignalWatcher([SIGTERM, SIGHUP]) { number in
      if stopped.signal != nil {
        LastResort.quitNow(status: 128 + number, reason: "second stop signal")
      }
      stopped.record(number)
      controller.terminate()
      LastResort.quitAfter(seconds: 5, status: 128 + number, reason: "the run did not stop")
      reader.close()
    }
    defer { signals.stop() }
    if interactive {
      output.write(
        "scopelab \(ScopeLabVersion.current) - type 'help' for the commands, Ctrl-D to quit\n")
    }
    if let lesson {
      _ = await session.execute("lesson \(lesson)")
    }
    let status = await ReplLoop(
      session: session, reader: reader, showsPrompt: interactive, interrupts: interrupts
    ).run()
    if let number = stopped.signal { return 128 + number }
    if interactive { output.write("\n") }
    return status
  }
}

/// Which stop signal (SIGTERM, SIGHUP) ended the REPL, if any.
final class StopSignal: Sendable {
  private let number = Mutex<Int32?>(nil)

  func record(_ signal: Int32) { number.withLock { $0 = signal } }
  var signal: Int32? { number.withLock { $0 } }
}
