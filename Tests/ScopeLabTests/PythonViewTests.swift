import Foundation
import ScopeLab
import TestSupport
import Testing

/// The differences each corpus program shows (the rest of its trace must match).
private let expectedDifferences: [String: Set<KnownDifference>] = [
  "busy_past_deadline": [.busyBlocksTheLoop],
  "group_order": [.exitOrder],
  "group_failure": [.exitOrder, .exceptionGroup],
  "nested_groups": [.exitOrder, .taskStartsLater],
  "group_two_failures": [.busyBlocksTheLoop, .exceptionGroup, .exitOrder],
  // The lessons' programs.
  "lesson_sleep_vs_timeout_6": [.busyBlocksTheLoop],
  "lesson_cancellation_2": [.busyBlocksTheLoop],
  "lesson_task_groups_1": [.exitOrder],
  "lesson_task_groups_2": [.exitOrder, .exceptionGroup],
  "lesson_task_groups_3": [.exitOrder],
  "lesson_task_groups_4": [.busyBlocksTheLoop, .exceptionGroup, .exitOrder],
  "lesson_task_groups_5": [.exceptionGroup, .exitOrder],
]

/// Corpus programs whose two runs take different paths by design: from the difference on,
/// nothing is comparable. `compare` must name it instead (CompareCommandTests).
let partingCorpusPrograms: [String: KnownDifference] = [
  "lesson_cancellation_3": .stickyCancellation,
  "refused_suppress": .suppressedCancellation,
  "lesson_cancellation_4": .suppressedCancellation,
  "lesson_cancellation_6": .stickyCancellation,
  "lesson_errors_and_suppression_3": .suppressedCancellation,
]

/// One event, as compared: its name, scope id, error (where it has one), printed text.
/// Python's `CancelledError` is Swift's `CancellationError`.
private func key(_ event: [String: Any]) -> String {
  let name = event["event"] as? String ?? "?"
  var parts = [name, event["id"] as? String ?? ""]
  if ["exit", "exit-done", "enter-failed", "suppressed", "result"].contains(name) {
    let error = event["error"] as? String ?? "nil"
    parts.append(error == "CancelledError" ? "CancellationError" : error)
  }
  if name == "print" { parts.append(event["text"] as? String ?? "") }
  if name == "result" { parts.append(event["value"] as? String ?? "nil") }
  return parts.joined(separator: " ")
}

private func parse(_ jsonl: String) -> [[String: Any]] {
  jsonl.split(separator: "\n").compactMap { line in
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
  }
}

/// The compared lines, with the parts a known difference changes taken out.
private func normalized(_ events: [[String: Any]], without differences: Set<KnownDifference>)
  -> [String]
{
  var keys = events.compactMap { event -> String? in
    let key = key(event)
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

/// Runs python3 on each script, four at a time (the machine is small, and the programs'
/// deadlines are short), each stopped after `timeout` seconds; their exit statuses and
/// stdouts, in order. A finished script's place goes to the next at once, and the wait
/// polls with `Task.sleep`, so no thread of the pool is held while the scripts run.
func runPython(_ scripts: [String], timeout: Double = 20, interpreter: String = "python3")
  async throws -> [PythonRun]
{
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("pyview-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  var results = [PythonRun?](repeating: nil, count: scripts.count)
  var running: [(index: Int, process: Process, output: URL, deadline: Date)] = []
  // A throw or a cancellation (a time limit) leaves no python behind.
  defer {
    for run in running where run.process.isRunning {
      run.process.terminate()
      run.process.waitUntilExit()
    }
  }
  var next = 0
  while next < scripts.count || !running.isEmpty {
    while running.count < 4 && next < scripts.count {
      let file = directory.appendingPathComponent("script\(next).py")
      let output = directory.appendingPathComponent("script\(next).out")
      try scripts[next].write(to: file, atomically: true, encoding: .utf8)
      _ = FileManager.default.createFile(atPath: output.path, contents: nil)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.currentDirectoryURL = directory
      // The test runner may ignore SIGTERM, and a child would inherit that: reset it.
      process.arguments = ["--default-signal=TERM,INT", interpreter, file.path]
      process.standardOutput = try FileHandle(forWritingTo: output)
      process.standardError = FileHandle.nullDevice
      try process.run()
      running.append((next, process, output, Date().addingTimeInterval(timeout)))
      next += 1
    }
    try await Task.sleep(for: .milliseconds(5))
    var still: [(index: Int, process: Process, output: URL, deadline: Date)] = []
    for run in running {
      if run.process.isRunning && Date() < run.deadline {
        still.append(run)
        continue
      }
      if run.process.isRunning {
        run.process.terminate()
        run.process.waitUntilExit()
      }
      results[run.index] = (
        run.process.terminationStatus, try String(contentsOf: run.output, encoding: .utf8)
      )
    }
    running = still
  }
  return results.compactMap { $0 }
}

/// `python3 -m py_compile` on all the scripts in one process: its exit status.
func compilePython(_ scripts: [String]) async throws -> Int32 {
  let files = scripts.enumerated().map { "compile\($0.offset).py" }
  let writes = zip(files, scripts).map { file, script in
    "open(\(pythonRepr(file)), 'w').write(\(pythonRepr(script)))"
  }
  let driver =
    writes.joined(separator: "\n") + "\nimport py_compile\n"
    + files.map { "py_compile.compile(\(pythonRepr($0)), doraise=True)" }.joined(separator: "\n")
  return try await runPython([driver])[0].status
}

func pythonRepr(_ text: String) -> String {
  "bytes.fromhex('"
    + text.utf8.map { byte in
      let hex = String(byte, radix: 16)
      return hex.count == 1 ? "0" + hex : hex
    }.joined() + "').decode()"
}

/// One python3 run: its exit status and stdout.
typealias PythonRun = (status: Int32, output: String)

/// Every corpus program's Python view, as `show python` prints it and traced, each run
/// once and shared by the tests that check them (CPython is most of their time).
private let corpusPythonRuns = Task {
  () async throws -> [(shown: PythonRun, traced: PythonRun)] in
  let scripts = try ProgramCorpus.all.flatMap { entry in
    let program = try Program(parsing: entry.source)
    let parameters = try parameters(entry.settings)
    return [false, true].map { PythonView.render(program, parameters: parameters, traced: $0) }
  }
  let runs = try await runPython(scripts)
  return stride(from: 0, to: runs.count, by: 2).map { (runs[$0], runs[$0 + 1]) }
}

private func parameters(_ settings: [String: String]) throws -> Parameters {
  var parameters = Parameters.builtIn
  for (name, value) in settings { try parameters.set(name, to: value) }
  return parameters
}

private func render(_ source: String, traced: Bool = false) throws -> String {
  PythonView.render(try Program(parsing: source), parameters: .builtIn, traced: traced)
}

/// The compared trace lines of `source` from scopelab and from its Python view: the Python
/// runs (given, or started here) go on in their processes while scopelab runs the programs.
private func traces(
  _ sources: [(String, [String: String])],
  python: Task<[PythonRun], any Error>? = nil
) async throws -> [(swift: [[String: Any]], python: [[String: Any]])] {
  let scripts = try sources.map { source, settings in
    PythonView.render(
      try Program(parsing: source), parameters: try parameters(settings), traced: true)
  }
  let pythonRuns = python ?? Task { try await runPython(scripts) }
  var swiftRuns: [[[String: Any]]] = []
  for (source, settings) in sources {
    let record = try await runProgram(source, set: settings)
    swiftRuns.append(parse(record.events.map(JSONLTraceSink.encode).joined(separator: "\n")))
  }
  return zip(swiftRuns, try await pythonRuns.value).map { ($0, parse($1.output)) }
}

private func isBefore(_ first: String, _ second: String, in keys: [String]) -> Bool {
  guard let one = keys.firstIndex(of: first), let two = keys.firstIndex(of: second) else {
    return false
  }
  return one < two
}

@Suite struct PythonViewTests {
  @Test func everyCorpusScriptCompiles() async throws {
    let scripts = try ProgramCorpus.all.flatMap { entry in
      let program = try Program(parsing: entry.source)
      let parameters = try parameters(entry.settings)
      return [false, true].map { PythonView.render(program, parameters: parameters, traced: $0) }
    }
    #expect(try await compilePython(scripts) == 0)
  }

  @Test func everyCorpusProgramTracesLikeScopelab() async throws {
    let entries = ProgramCorpus.all
    let python = Task { try await corpusPythonRuns.value.map(\.traced) }
    let results = try await traces(entries.map { ($0.source, $0.settings) }, python: python)
    for (entry, (swift, python)) in zip(entries, results)
    where partingCorpusPrograms[entry.name] == nil {
      let differences = expectedDifferences[entry.name] ?? []
      #expect(
        normalized(swift, without: differences) == normalized(python, without: differences),
        "\(entry.name): \(entry.source)")
      #expect(python.last.map(key)?.hasPrefix("result") == true, "\(entry.name) has no result")
    }
  }

  /// What `show python` prints is the script without the tracing harness: run it too, and
  /// check that it prints what its traced twin printed, and ends the same way.
  @Test func everyShownScriptBehavesLikeItsTracedTwin() async throws {
    let runs = try await corpusPythonRuns.value
    for (entry, run) in zip(ProgramCorpus.all, runs) {
      let shown = run.shown.output.split(separator: "\n").map(String.init)
      let traced = parse(run.traced.output)
      let printed = traced.compactMap {
        $0["event"] as? String == "print" ? $0["text"] as? String : nil
      }
      let outcome = traced.last.flatMap { $0["outcome"] as? String } ?? "none"
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
  }

  // MARK: - each known difference, shown

  @Test func knownDifferencesAreShown() async throws {
    let cases = KnownDifference.allCases
    let results = try await traces(cases.map { ($0.example, [:]) })
    for (difference, (swift, python)) in zip(cases, results) {
      let swiftKeys = swift.map(key)
      let pythonKeys = python.map(key)
      #expect(swiftKeys != pythonKeys, "\(difference) no longer differs")
      #expect(!difference.explanation.isEmpty)
      switch difference {
      case .busyBlocksTheLoop:
        #expect(swiftKeys.contains("fired timeout#1"))
        #expect(!pythonKeys.contains("fired timeout#1"))
      case .exceptionGroup:
        #expect(swiftKeys.last == "result  KeyError nil")
        #expect(pythonKeys.last == "result  ExceptionGroup nil")
      case .exitOrder:
        // Swift: the task ends, then the group's exit; Python: the other way round.
        #expect(isBefore("exit task#1 nil", "exit group#1 nil", in: swiftKeys))
        #expect(isBefore("exit group#1 nil", "exit task#1 nil", in: pythonKeys))
      case .expiredAtEnter:
        // Swift cancels at enter; the body never awaits, so asyncio's cancel never comes.
        #expect(isBefore("fired timeout#1", "print  body", in: swiftKeys))
        #expect(!pythonKeys.contains("fired timeout#1"))
        #expect(swift.last?["outcome"] as? String == "ok")
        #expect(python.last?["outcome"] as? String == "ok")
      case .sameMoment:
        // asyncio wakes both tasks in one turn: both raise. In Swift the first error
        // usually cancels the other task first (a race, so only the outcome is checked).
        #expect(pythonKeys.contains("exit task#1 KeyError"))
        #expect(pythonKeys.contains("exit task#2 ValueError"))
        #expect(["result  KeyError nil", "result  ValueError nil"].contains(swiftKeys.last))
      case .stickyCancellation:
        // Swift: the catch's sleep throws again; asyncio: it sleeps, and the body goes on.
        #expect(!swiftKeys.contains("print  on") && pythonKeys.contains("print  on"))
        #expect(swift.last?["outcome"] as? String == "TimeoutError")
        #expect(python.last?["outcome"] as? String == "ok")
      case .suppressedCancellation:
        // asyncio: A's __aexit__ swallows the cancellation, the body goes on, the timeout
        // raises nothing. scopelab: A cannot suppress it, the timeout raises TimeoutError.
        #expect(pythonKeys.contains("suppressed A#1 CancellationError"))
        #expect(!swiftKeys.contains { $0.hasPrefix("suppressed ") })
        #expect(pythonKeys.contains("print  after") && !swiftKeys.contains("print  after"))
        #expect(swift.last?["outcome"] as? String == "TimeoutError")
        #expect(python.last?["outcome"] as? String == "ok")
        #expect(
          python.contains { $0["event"] as? String == "exit" && $0["expired"] as? Bool == true })
      case .taskStartsLater:
        #expect(isBefore("print  task", "print  body", in: swiftKeys))
        #expect(isBefore("print  body", "print  task", in: pythonKeys))
      }
    }
  }

  // MARK: - what plain asyncio does: the claims compare and why make, run

  /// python3, and python3.12 and python3.13 (found as the other suites find them).
  private static func interpreters() -> [String] {
    ["python3"] + InstalledPythons.newer
  }

  /// suppressedCancellation's example as `show python` prints it: the __aexit__ that
  /// returns True eats the timeout, on every CPython at hand.
  @Test func anExitThatSuppressesEatsTheTimeout() async throws {
    let script = try render(KnownDifference.suppressedCancellation.example)
    #expect(script.contains("        return self.suppress\n"))
    for interpreter in Self.interpreters() {
      let run = try await runPython([script], interpreter: interpreter)[0]
      #expect(run.output == "after\n=> ok\n", "\(interpreter): \(run.output)")
    }
  }

  /// What the Process helper's docstring and why's teardown note say plain asyncio does
  /// not do: a create_subprocess_exec child cut short by asyncio.timeout goes on running,
  /// after asyncio.run has returned.
  @Test func aPlainSubprocessOutlivesItsTimeout() async throws {
    let snippet = """
      import asyncio, os, signal

      def running(pid):
          try:
              with open(f"/proc/{pid}/stat") as stat:
                  return stat.read().rsplit(")", 1)[1].split()[0] in "RS"
          except FileNotFoundError:
              return False

      async def main():
          try:
              async with asyncio.timeout(0.1):
                  child = await asyncio.create_subprocess_exec("sleep", "1")
                  await child.wait()
          except TimeoutError:
              print("TimeoutError")
          return child.pid

      pid = asyncio.run(main())
      print("the child still runs:", running(pid))
      os.kill(pid, signal.SIGKILL)  # what nothing in asyncio did

      """
    for interpreter in Self.interpreters() {
      let run = try await runPython([snippet], interpreter: interpreter)[0]
      #expect(run.output == "TimeoutError\nthe child still runs: True\n", "\(interpreter)")
      #expect(run.status == 0, "\(interpreter)")
    }
    // The Process helper says so where show python prints it.
    let script = try render("timeout 0.1 { process sleep 1 { wait } }")
    #expect(script.contains("Plain asyncio does not: when asyncio.timeout cuts short"))
  }

  // MARK: - the generator

  @Test func stringsAreQuotedForPython() throws {
    let script = try render(#"print "a \"quote\"" "it's" "back\\slash" "héllo ✓""#)
    #expect(script.contains(#"print("a \"quote\" it's back\\slash héllo ✓")"#))
  }

  @Test func parametersAreConstants() throws {
    var parameters = Parameters.builtIn
    try parameters.set("sleep", to: "300ms")
    let program = try Program(parsing: "timeout $timeout { sleep $sleep }")
    let script = PythonView.render(program, parameters: parameters)
    #expect(script.contains("SLEEP = 0.3\nTIMEOUT = 2.0\nGRACE = 1.0"))
    #expect(script.contains("async with asyncio.timeout(TIMEOUT):\n"))
    #expect(script.contains("        await asyncio.sleep(SLEEP)"))
  }

  @Test func nestedAndSiblingScopes() throws {
    let script = try render("scope A, scope B(suppress) { runner { sleep 0 } }; timeout inf { }")
    #expect(
      script.contains(
        """
            async with Scope("A"):
                async with Scope("B", suppress=True):
                    with Runner(item):
                        await asyncio.sleep(0.0)
            async with asyncio.timeout(None):
                pass
        """))
  }

  @Test func tryCatchAndErrors() throws {
    let script = try render(
      "try { throw Oops } catch TimeoutError { print t } catch CancellationError { } catch { throw KeyError }"
    )
    #expect(script.contains("class Oops(Exception):\n    pass"))
    #expect(!script.contains("class KeyError"))
    #expect(
      script.contains(
        """
            try:
                raise Oops
            except TimeoutError:
                print("t")
            except asyncio.CancelledError:
                pass
            except BaseException:
                raise KeyError
        """))
  }

  /// A group's failure reaches the handlers as an ExceptionGroup: a `try` whose body holds
  /// a group, at any depth, catches with `except*`; others with `except`.
  @Test func aGroupsFailureIsCaughtWithExceptStar() async throws {
    let script = try render(
      "try { scope A { timeout 1 { group { task { throw KeyError } } } } } catch KeyError "
        + "{ print caught } catch { print other }; try { throw KeyError } catch KeyError { }")
    #expect(script.contains("    except* KeyError:\n        print(\"caught\")\n"))
    #expect(script.contains("    except* BaseException:\n        print(\"other\")\n"))
    #expect(script.contains("        raise KeyError\n    except KeyError:\n        pass\n"))
    // Run, the group's KeyError is caught as asyncio catches it; `return` (not allowed in
    // an except* block) returns from a handler function, and the value from main.
    let sources = [
      "try { group { task { throw KeyError } } } catch KeyError { print caught }; print after",
      "try { group { task { sleep 0.01; throw KeyError } } } catch ValueError { print no }",
      "try { group { task { throw KeyError } } } catch KeyError { scope A { return 1 } }; print no",
      "try { try { group { task { throw KeyError } } } catch KeyError { return 2 } } catch { }",
      "try { group { task { throw KeyError } } } catch KeyError { try { } catch { return 3 } }",
    ]
    let runs = try await runPython(try sources.map { try render($0) })
    let outputs = runs.map(\.output)
    #expect(outputs[0] == "caught\nafter\n=> ok\n", "\(outputs[0])")
    // An ExceptionGroup passes `except* ValueError`: the group's failure is the outcome.
    #expect(outputs[1].hasPrefix("=> ExceptionGroup"), "\(outputs[1])")
    #expect(outputs[2] == "=> ok: 1\n", "\(outputs[2])")
    #expect(outputs[3] == "=> ok: 2\n", "\(outputs[3])")
    #expect(outputs[4] == "=> ok\n", "\(outputs[4])")
  }

  @Test func returnRescheduleAndGroups() throws {
    let script = try render(
      "timeout 5 { reschedule 0.5; group { task { busy -1 }; task { reschedule none } } }; return 42"
    )
    #expect(
      script.contains(
        """
            async with asyncio.timeout(5.0) as timeout1:
                timeout1.reschedule(asyncio.get_running_loop().time() + 0.5)
                async with asyncio.TaskGroup() as tg1:
                    async def task1():
                        busy(0)
                    tg1.create_task(task1())
                    async def task2():
                        timeout1.reschedule(None)
                    tg1.create_task(task2())
            return "42"
        """))
    #expect(script.contains("def busy(seconds):"))
    #expect(!script.contains("# --- tracing"))
    #expect(try render("sleep 1", traced: true).contains("# --- tracing"))
  }
}
