import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Turns SIGTERM and SIGHUP into calls on a queue instead of killing the process, so a
/// run can cancel its scopes and every exit can run. (SIGINT belongs to
/// `LineEditor.Interrupts`, which also clears the line at the prompt.)
final class SignalWatcher {
  private let sources: [any DispatchSourceSignal]

  init(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
    let queue = DispatchQueue(label: "scopelab.signals")
    sources = signals.map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler { handler(number) }
      source.resume()
      return source
    }
  }

  func stop() {
    for source in sources { source.cancel() }
  }
}

/// The process environment as a dictionary.
func currentEnvironment() -> [String: String] {
  var result: [String: String] = [:]
  var pointer = environ
  while let entry = pointer.pointee {
    let text = String(cString: entry)
    if let equals = text.firstIndex(of: "=") {
      result[String(text[..<equals])] = String(text[text.index(after: equals)...])
    }
    pointer += 1
  }
  return result
}
