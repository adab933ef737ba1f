import PosixThread
import Synchronization

/// Turns `print` into trace events while a ``Tracer`` runs: a program's `print("done")`
/// becomes a `print` event of the scope it runs in, at its depth, exactly as an event
/// the program reported itself - and the text still goes to standard output.
///
/// Swift's standard library calls `_playgroundPrintHook` (`((String) -> Void)?`) from
/// `print`, synchronously, on the printing task, with the text it writes (terminator
/// included) - after writing it. So the hook reads the printing task's trace frame: the
/// event belongs to the right scope however many tasks print at once.
///
/// Swift 6 language mode rejects any use of that global (a mutable global is not
/// concurrency-safe), so the hook is reached through the global's accessors, by their
/// mangled names: `@_silgen_name` declares them as plain functions (the setter takes its
/// value `consuming`, as a setter does). This keeps the package in Swift 6 mode and
/// warning-free, with no language-mode exception for one file and no `dlsym` lookup at
/// run time; the accessors have been part of the standard library's ABI since Swift 5.
/// Every read and write of the global goes through ``install()`` and ``uninstall()``,
/// under one lock; `print` itself reads it unguarded, as it always does.
///
/// The hook is installed when the first tracer starts running and the previous hook
/// (normally none) is restored when the last one ends, so an untraced program pays
/// nothing.
enum PrintHook {
  private struct State: ~Copyable {
    var running = 0
    var previous: ((String) -> Void)?
  }

  private static let state = Mutex(State())

  /// Called as a tracer starts running.
  static func install() {
    state.withLock { state in
      state.running += 1
      guard state.running == 1 else { return }
      state.previous = playgroundPrintHook()
      setPlaygroundPrintHook(record)
    }
  }

  /// Called as a tracer stops running.
  static func uninstall() {
    state.withLock { state in
      state.running -= 1
      guard state.running == 0 else { return }
      setPlaygroundPrintHook(state.previous)
      state.previous = nil
    }
  }

  /// Runs `body`, a sink receiving an event, with the hook muted on this thread. A sink
  /// that prints (as the catalog's `PrintingSink` does) writes its line, and the trace
  /// does not take it as the program's: recording it from inside its own recording would
  /// take the tracer's lock a second time.
  static func muted<R>(_ body: () throws -> R) rethrows -> R {
    muting.set(true)
    defer { muting.set(false) }
    return try body()
  }

  /// Set on the threads where a sink is receiving an event.
  private static let muting = ThreadFlag()

  /// What `print` hands over: one call's text, with its terminator.
  private static func record(_ text: String) {
    guard !muting.isSet, let frame = Trace.currentFrame else { return }
    let line = text.hasSuffix("\n") ? String(text.dropLast()) : text
    frame.record(.print(text: line))
  }
}

/// The getter of the standard library's `public var _playgroundPrintHook`.
@_silgen_name("$ss20_playgroundPrintHookySScSgvg")
private func playgroundPrintHook() -> ((String) -> Void)?

/// The setter of the standard library's `public var _playgroundPrintHook`.
@_silgen_name("$ss20_playgroundPrintHookySScSgvs")
private func setPlaygroundPrintHook(_ hook: consuming ((String) -> Void)?)
