import Foundation
import ScopeLab
import Synchronization
import TestSupport
import Testing

/// Every corpus program's Python view, as `show python` prints it and traced, each run
/// once under CPython, four at a time, in the corpus's order: started by the first test
/// that needs one, so that CPython runs while the suite runs the interpreter and the
/// compiled programs, each test waiting only for its own program's runs.
final class CorpusPythonRuns: Sendable {
  typealias Runs = (shown: PythonRun, traced: PythonRun)

  private struct State {
    /// Each script's run once it has ended, by its index (a program's shown script is at
    /// 2 * its index in the corpus, its traced one right after).
    var finished: [Int: PythonRun] = [:]
    /// Why the scripts could not all be run, once that is known.
    var failure: String?
  }

  private let state = Mutex(State())

  init() {
    Task { [self] in
      do {
        let scripts = try ProgramCorpus.all.flatMap { entry in
          let program = try Program(parsing: entry.source)
          let parameters = try GeneratedCorpusTests.parameters(entry)
          return [false, true].map {
            PythonView.render(program, parameters: parameters, traced: $0)
          }
        }
        _ = try await runPython(scripts) { index, run in
          self.state.withLock { $0.finished[index] = run }
        }
      } catch {
        self.state.withLock { $0.failure = "the Python views could not be run: \(error)" }
      }
    }
  }

  /// The two runs of `entry`'s views, once both have ended.
  func runs(of entry: ProgramCorpus.Entry) async throws -> Runs {
    let index = try #require(ProgramCorpus.all.firstIndex(of: entry))
    return try await eventually(timeout: 300, every: 0.005, "\(entry.name): never run") {
      try state.withLock { state -> Runs? in
        if let shown = state.finished[2 * index], let traced = state.finished[2 * index + 1] {
          return (shown, traced)
        }
        if let failure = state.failure { throw PseudoTerminal.Failure(description: failure) }
        return nil
      }
    }
  }
}

extension GeneratedCorpusTests {
  /// The Python views' runs, started at the first use.
  static let python = CorpusPythonRuns()

  @Test func everyCorpusScriptCompiles() async throws {
    let scripts = try ProgramCorpus.all.flatMap { entry in
      let program = try Program(parsing: entry.source)
      let parameters = try Self.parameters(entry)
      return [false, true].map { PythonView.render(program, parameters: parameters, traced: $0) }
    }
    #expect(try await compilePython(scripts) == 0)
  }

  /// The traced Python view's trace is the interpreter's `swift` (its JSON lines), but
  /// for the program's known differences; a program whose runs part ways by design
  /// (``ProgramCorpus/partingFromPython``) is left to `compare` (CompareCommandTests).
  static func expectPythonTracesLike(
    _ swift: [[String: Any]], _ runs: CorpusPythonRuns.Runs, of entry: ProgramCorpus.Entry
  ) {
    let python = traceEvents(runs.traced.output)
    if ProgramCorpus.partingFromPython[entry.name] == nil {
      let differences = ProgramCorpus.pythonDifferences[entry.name] ?? []
      #expect(
        normalized(swift, without: differences) == normalized(python, without: differences),
        "\(entry.name): \(entry.source)")
      #expect(
        python.last.map(traceKey)?.hasPrefix("result") == true, "\(entry.name) has no result")
    }
    // What `show python` prints is the script without the tracing harness: it prints what
    // its traced twin printed, and ends the same way.
    let shown = runs.shown.output.split(separator: "\n").map(String.init)
    let printed = python.compactMap {
      $0["event"] as? String == "print" ? $0["text"] as? String : nil
    }
    let outcome = python.last.flatMap { $0["outcome"] as? String } ?? "none"
    // `=> ok`, `=> ok: 5`, `=> TimeoutError: ...`: the outcome's name.
    let last = shown.last ?? ""
    let shownOutcome = last.dropFirst(3).prefix { $0 != ":" }
    #expect(last.hasPrefix("=> "), "\(entry.name): no outcome line in \(shown)")
    #expect(String(shownOutcome) == outcome, "\(entry.name): \(shown) against \(outcome)")
    var rest = shown.dropLast()[...]
    for text in printed {
      guard let at = rest.firstIndex(of: text) else {
        Issue.record("\(entry.name): '\(text)' missing or out of order in \(shown)")
        break
      }
      rest = rest[rest.index(after: at)...]
    }
  }

  /// The compared lines, with the parts a known difference changes taken out.
  static func normalized(_ events: [[String: Any]], without differences: Set<KnownDifference>)
    -> [String]
  {
    var keys = events.compactMap { event -> String? in
      let key = traceKey(event)
      if differences.contains(.exitOrder), key.hasPrefix("exit group#") { return nil }
      if differences.contains(.busyBlocksTheLoop), key.hasPrefix("fired ") { return nil }
      return key
    }
    if differences.contains(.exceptionGroup) {
      // Only the outcome's kind (an error) is comparable: drop error names.
      keys = keys.map { $0.replacingOccurrences(of: "ExceptionGroup", with: "ERROR") }
      keys = keys.map { key in
        ["KeyError", "ValueError"].reduce(key) { $0.replacingOccurrences(of: $1, with: "ERROR") }
      }
    }
    if differences.contains(.busyBlocksTheLoop) {
      // Which task fails first depends on the loop being blocked: compare events and ids.
      keys = keys.map {
        $0.split(separator: " ", omittingEmptySubsequences: false).prefix(2).joined(separator: " ")
      }
    }
    if differences.contains(.busyBlocksTheLoop) || differences.contains(.taskStartsLater) {
      // The interleaving differs: compare which events happen, not their order.
      keys.sort()
    }
    return keys
  }
}
