import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Turns SIGINT, SIGTERM and SIGHUP into calls on a queue, instead of killing the process,
/// so a run can cancel its scopes and every exit can run.
final class SignalWatcher {
  enum Kind: Sendable {
    case interrupt, terminate
  }

  private let sources: [any DispatchSourceSignal]

  init(_ handler: @escaping @Sendable (Kind) -> Void) {
    let queue = DispatchQueue(label: "scopelab.signals")
    var sources: [any DispatchSourceSignal] = []
    for (number, kind) in [(SIGINT, Kind.interrupt), (SIGTERM, .terminate), (SIGHUP, .terminate)] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler { handler(kind) }
      source.resume()
      sources.append(source)
    }
    self.sources = sources
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
