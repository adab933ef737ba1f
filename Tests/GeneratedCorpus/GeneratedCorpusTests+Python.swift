import AsyncScope
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

  /// What is wrong with the Python view's `runs` of `entry` beside the interpreter's trace
  /// `swift` (its JSON lines): its trace must be the interpreter's, but for the program's
  /// known differences (a program whose runs part ways by design,
  /// ``ProgramCorpus/partingFromPython``, is left to `compare`: CompareCommandTests); and
  /// the shown script prints what its traced twin printed, and ends the same way.
  static func pythonProblems(
    _ swift: [[String: Any]], _ runs: CorpusPythonRuns.Runs, of entry: ProgramCorpus.Entry
  ) -> [String] {
    var problems: [String] = []
    let python = traceEvents(runs.traced.output)
    if ProgramCorpus.partingFromPython[entry.name] == nil {
      let differences = ProgramCorpus.pythonDifferences[entry.name] ?? []
      let expected = normalized(swift, without: differences)
      let traced = normalized(python, without: differences)
      if expected != traced {
        problems.append("\(entry.name): \(entry.source): scopelab \(expected), Python \(traced)")
      }
      if python.last.map(traceKey)?.hasPrefix("result") != true {
        problems.append("\(entry.name) has no result")
      }
    }
    // What `show python` prints is the script without the tracing harness.
    let shown = runs.shown.output.split(separator: "\n").map(String.init)
    let printed = python.compactMap {
      $0["event"] as? String == "print" ? $0["text"] as? String : nil
    }
    let outcome = python.last.flatMap { $0["outcome"] as? String } ?? "none"
    // `=> ok`, `=> ok: 5`, `=> TimeoutError: ...`: the outcome's name.
    let last = shown.last ?? ""
    let shownOutcome = last.dropFirst(3).prefix { $0 != ":" }
    if !last.hasPrefix("=> ") { problems.append("\(entry.name): no outcome line in \(shown)") }
    if String(shownOutcome) != outcome {
      problems.append("\(entry.name): \(shown) against \(outcome)")
    }
    var rest = shown.dropLast()[...]
    for text in printed {
      guard let at = rest.firstIndex(of: text) else {
        problems.append("\(entry.name): '\(text)' missing or out of order in \(shown)")
        break
      }
      rest = rest[rest.index(after: at)...]
    }
    return problems
  }

  /// `entry` run again in the interpreter and under CPython (its views), the two side by
  /// side with nothing else of the suite: the JSON lines of the interpreter's trace, and
  /// the Python runs.
  static func runAgain(_ entry: ProgramCorpus.Entry) async throws -> (
    swift: [[String: Any]], python: CorpusPythonRuns.Runs
  ) {
    let parameters = try Self.parameters(entry)
    let program = try Program(parsing: entry.source, checkedAgainst: parameters)
    let scripts = [false, true].map {
      PythonView.render(program, parameters: parameters, traced: $0)
    }
    let python = Task { try await runPython(scripts) }
    let recorder = TraceRecorder()
    let run = ProgramRun(
      evaluator: ProgramEvaluator(parameters: parameters, clock: ContinuousClock()))
    _ = await run.run(program, sink: recorder)
    let runs = try await python.value
    let swift = traceEvents(recorder.events.map(JSONLTraceSink.encode).joined(separator: "\n"))
    return (swift, (runs[0], runs[1]))
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
