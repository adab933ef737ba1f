import Glibc
import Synchronization

/// The write end of the wake pipe of the prompt now reading a line, or -1.
let activePromptWakeFD = Atomic<CInt>(-1)
/// The write end of the pipe that wakes the interrupt dispatcher, or -1.
let dispatcherWakeFD = Atomic<CInt>(-1)
/// Ctrl-C presses that arrived while no prompt was reading.
let interruptsOutsidePrompt = Atomic<Int>(0)

/// The SIGINT handler: a Ctrl-C during a prompt wakes that prompt (which clears
/// its line); any other goes to the dispatcher. Only atomics and `write(2)`.
private func handleInterruptSignal(_ signal: CInt) {
  let prompt = activePromptWakeFD.load(ordering: .acquiring)
  if prompt >= 0 {
    Syscall.signalSafeWrite(prompt, WakePipe.Reason.interrupt.rawValue)
    return
  }
  interruptsOutsidePrompt.add(1, ordering: .relaxed)
  let dispatcher = dispatcherWakeFD.load(ordering: .acquiring)
  if dispatcher >= 0 { Syscall.signalSafeWrite(dispatcher, 1) }
}

/// Ctrl-C (SIGINT) for the whole process, shared by the line readers and the app.
///
/// Once installed, Ctrl-C no longer ends the process. A Ctrl-C that arrives
/// while an ``EditLineReader`` is reading a line clears that line (its
/// `readLine` returns ``LineInput/interrupted``); every other Ctrl-C is delivered
/// to each stream from ``events()`` - that is how an app cancels a run:
///
/// ```swift
/// let interrupts = Interrupts.shared.events()
/// let run = Task { try await program.run() }
/// for await _ in interrupts { run.cancel() /* a second one: escalate */ }
/// ```
///
/// ``EditLineReader`` installs the handler itself; an app that reads a pipe and
/// still wants Ctrl-C to cancel runs calls ``install()``.
public final class Interrupts: Sendable {
  /// The process's one instance.
  public static let shared = Interrupts()

  private struct State {
    var installed = false
    var nextID = 0
    var subscribers: [Int: AsyncStream<Void>.Continuation] = [:]
  }

  private let state = Mutex(State())

  private init() {}

  /// Installs the SIGINT handler (with `SA_RESTART`, so other threads' system
  /// calls are not disturbed) and starts the thread that delivers interrupts.
  /// Idempotent. Returns false if the handler could not be installed.
  @discardableResult
  public func install() -> Bool {
    let first = state.withLock { state in
      defer { state.installed = true }
      return !state.installed
    }
    guard first else { return true }
    guard case .success(let pipe) = Syscall.pipe(nonBlocking: false) else { return false }
    _ = activePromptWakeFD.load(ordering: .relaxed)
    _ = interruptsOutsidePrompt.load(ordering: .relaxed)
    dispatcherWakeFD.store(pipe.write, ordering: .releasing)
    let started = Syscall.startThread { [self] in dispatch(from: pipe.read) }
    guard started else { return false }
    return Syscall.installSignalHandler(SIGINT, restart: true, handleInterruptSignal)
  }

  /// How many Ctrl-C presses arrived while no prompt was reading a line.
  public var count: Int {
    interruptsOutsidePrompt.load(ordering: .relaxed)
  }

  /// A stream with one element per Ctrl-C that arrives, from now on, while no
  /// prompt is reading. It ends when the consuming task stops iterating.
  public func events() -> AsyncStream<Void> {
    let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .unbounded)
    let id = state.withLock { state in
      defer { state.nextID += 1 }
      state.subscribers[state.nextID] = continuation
      return state.nextID
    }
    continuation.onTermination = { [weak self] _ in
      _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
    }
    return stream
  }

  /// Delivers each byte from the handler to every subscriber, forever.
  private func dispatch(from fd: CInt) {
    var buffer = [UInt8](repeating: 0, count: 16)
    while case .success(let count) = buffer.withUnsafeMutableBytes({ Syscall.read(fd, into: $0) }),
      count > 0
    {
      let subscribers = state.withLock { Array($0.subscribers.values) }
      for _ in 0..<count {
        for subscriber in subscribers { subscriber.yield() }
      }
    }
  }

  /// Routes Ctrl-C to `pipe` while a prompt reads a line (pass `nil` after).
  static func routeToPrompt(_ pipe: WakePipe?) {
    activePromptWakeFD.store(pipe?.writeFD ?? -1, ordering: .releasing)
  }
}
