import Foundation
import TestSupport
import Testing

/// `scopelab check FILE.py --scope NAME --kind timeout|scope`, run as a process on real
/// CPython (each Python of ``TraceEndToEndTests/pythons``: 3.11's sys.setprofile tracer
/// and 3.12's sys.monitoring one): the seed course's naive Timeout fails on the outside
/// cancellation rule (async-timeout #229), CPython's own timeout and a fixed Timeout pass.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct CheckEndToEndTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
    // A verdict on one line, however long (the width is wrappedToTheWidth's to test).
    scopelab.extraEnvironment["COLUMNS"] = "1000"
  }

  /// The seed course's Timeout, typed in as Python: `loop.call_at`, `task.cancel()`,
  /// TimeoutError in `__aexit__` once it fired - and no cancel counting.
  static let naive = """
    import asyncio


    class Timeout:
        def __init__(self, delay):
            self.delay = delay
            self.fired = False
            self.handle = None

        async def __aenter__(self):
            loop = asyncio.get_running_loop()
            task = asyncio.current_task()
            self.handle = loop.call_at(loop.time() + self.delay, self._fire, task)
            return self

        def _fire(self, task):
            self.fired = True
            task.cancel()

        async def __aexit__(self, exc_type, exc, tb):
            self.handle.cancel()
            if self.fired and exc_type is asyncio.CancelledError:
                raise TimeoutError
            return False

    """

  /// The same Timeout fixed as CPython 3.11 fixed its own: it remembers the task's cancel
  /// count at enter, converts only when uncancel() brings it back there, and a deadline
  /// already passed cancels at once (call_soon). Its demo must not run under check.
  static let fixed = """
    import asyncio


    class Timeout:
        def __init__(self, delay):
            self.delay = delay
            self.fired = False

        async def __aenter__(self):
            loop = asyncio.get_running_loop()
            self.task = asyncio.current_task()
            self.cancelling = self.task.cancelling()
            if self.delay <= 0:
                self.handle = loop.call_soon(self._fire)
            else:
                self.handle = loop.call_at(loop.time() + self.delay, self._fire)
            return self

        def _fire(self):
            self.fired = True
            self.task.cancel()

        async def __aexit__(self, exc_type, exc, tb):
            self.handle.cancel()
            if self.fired and self.task.uncancel() <= self.cancelling:
                if exc_type is asyncio.CancelledError:
                    raise TimeoutError from exc
            return False


    if __name__ == "__main__":
        raise SystemExit("the demo ran under check")

    """

  /// The fixed Timeout gone "deadline wins": once its deadline fired it raises
  /// TimeoutError in `__aexit__` whatever the body did, so a body that swallowed the
  /// cancellation and completed loses its result (TO4), as does an error of its own.
  static let deadlineWins = fixed.replacing(
    """
                if exc_type is asyncio.CancelledError:
                    raise TimeoutError from exc
    """,
    with: """
                  raise TimeoutError from exc
      """)

  /// A scope whose `__aexit__` suppresses everything, cancellations included (W4).
  static let swallow = """
    class Swallow:
        async def __aenter__(self):
            return self

        async def __aexit__(self, exc_type, exc, tb):
            return True

    """

  /// Writes `source` as `name` in this instance's home; its path.
  private func file(_ source: String, named name: String) throws -> String {
    try scopelab.home.write(name, source)
    return scopelab.home.path + "/" + name
  }

  private func check(_ path: String, scope: String, kind: String) throws -> Finished {
    try scopelab.run(["check", path, "--scope", scope, "--kind", kind], timeout: 120)
  }

  /// `check FILE --scope NAME --kind timeout` with each Python of
  /// ``TraceEndToEndTests/pythons``, the checks at the same time (each rule's deadlines are
  /// tens of milliseconds, its windows hundreds): each Python and what its check did.
  private func checkOnEveryPython(
    _ path: String, scope: String
  ) throws -> [(python: String, finished: Finished)] {
    let pythons = TraceEndToEndTests.pythons
    let runs = pythons.map {
      ["check", path, "--scope", scope, "--kind", "timeout", "--python", $0]
    }
    return Array(zip(pythons, try scopelab.runAll(runs, timeout: 120)))
  }

  /// The output's lines from the one that starts with `prefix` up to the next rule's.
  private func section(_ output: String, from prefix: String) -> [String] {
    let lines = output.split(separator: "\n").map(String.init)
    guard let start = lines.firstIndex(where: { $0.hasPrefix(prefix) }) else { return [] }
    var section = [lines[start]]
    for line in lines[(start + 1)...] {
      if !line.hasPrefix(" ") { break }
      section.append(line)
    }
    return section
  }

  @Test(
    "the naive Timeout breaks TO3: an outside cancellation after its deadline became TimeoutError"
  )
  func naiveTimeoutFails() throws {
    let path = try file(Self.naive, named: "naive_timeout.py")
    for (python, finished) in try checkOnEveryPython(path, scope: "Timeout") {
      try naiveTimeoutFails(finished, python: python)
    }
  }

  private func naiveTimeoutFails(_ finished: Finished, python: String) throws {
    #expect(finished.status == 1, "\(python): \(finished)")
    let broken = section(
      finished.output,
      from: "broken  TO3 an outside cancellation after the deadline fired stays CancelledError")
    #expect(broken.count > 1, "\(python): \(finished)")
    #expect(broken.first?.contains("came out as TimeoutError") == true, "\(python): \(broken)")
    #expect(broken.contains("  the trace that broke it:"), "\(python): \(broken)")
    let trace = broken.joined(separator: "\n")
    // The trace shows the exit that did it: it received the outside CancelledError and
    // raised TimeoutError in its place.
    let outside = try #require(
      trace.range(
        of: "check: the deadline fired, the body is cleaning up; task.cancel() from outside"))
    let received = try #require(trace.range(of: "exit Timeout#1 (received CancelledError)"))
    #expect(outside.upperBound <= received.lowerBound)
    let replaced = try #require(
      trace.range(of: "exit-done Timeout#1: exit raised TimeoutError, replacing CancelledError"))
    #expect(received.upperBound <= replaced.lowerBound)
    // Its own deadline still becomes TimeoutError; the summary names the broken rule.
    #expect(finished.output.contains("held    TO3 its own deadline becomes TimeoutError"))
    #expect(finished.output.contains("held    W2 "), "\(python): \(finished)")
    let summary = try #require(finished.output.split(separator: "\n").last)
    #expect(summary.contains("rules broken: "), "\(python): \(summary)")
    #expect(
      summary.contains(
        "TO3 (an outside cancellation after the deadline fired stays CancelledError)"))
    // It leaves the cancel count raised, too: an enclosing asyncio.timeout is fooled.
    #expect(finished.output.contains("broken  TO1 "), "\(python): \(finished)")
    // With equal deadlines both timers fire in the same turn of the loop (asyncio wakes up
    // to a millisecond late, the deadlines are microseconds apart) before the inner exit
    // runs, and the inner one converts: its TimeoutError is caught inside the outer timeout.
    let equal = try #require(
      finished.output.split(separator: "\n").first {
        $0.hasPrefix("broken  TO5 equal nested deadlines: the outer one converts, every time: ")
      }, "\(python): \(finished)")
    #expect(equal.contains("the inner timeout converted"), "\(python): \(equal)")
    // Its body's cleanup after the deadline still runs to its end (TO2).
    #expect(finished.output.contains("held    TO2 "), "\(python): \(finished)")
  }

  @Test("CPython's asyncio.timeout holds every rule")
  func asyncioTimeoutPasses() throws {
    // A dotted NAME follows attributes of the learner's module.
    let path = try file("import asyncio\n", named: "uses_asyncio.py")
    for (python, finished) in try checkOnEveryPython(path, scope: "asyncio.timeout") {
      asyncioTimeoutPasses(finished, python: python)
    }
  }

  private func asyncioTimeoutPasses(_ finished: Finished, python: String) {
    #expect(finished.status == 0, "\(python): \(finished)")
    #expect(finished.output.hasSuffix("every rule held (13)\n"), "\(python): \(finished)")
    #expect(!finished.output.contains("broken"), "\(python): \(finished)")
    for rule in ["W1", "W2", "W3", "W4", "TO1", "TO2", "TO3", "TO4", "TO5", "TO6"] {
      #expect(finished.output.contains("held    \(rule) "), "\(python) \(rule): \(finished)")
    }
  }

  @Test("the Timeout fixed with the cancel count holds every rule; its demo does not run")
  func fixedTimeoutPasses() throws {
    let path = try file(Self.fixed, named: "fixed_timeout.py")
    for (python, finished) in try checkOnEveryPython(path, scope: "Timeout") {
      #expect(finished.status == 0, "\(python): \(finished)")
      #expect(finished.output.hasSuffix("every rule held (13)\n"), "\(python): \(finished)")
      #expect(!finished.output.contains("demo ran"), "\(python): \(finished)")
      #expect(!finished.errors.contains("demo ran"), "\(python): \(finished)")
    }
  }

  @Test(
    "a Timeout that raises TimeoutError whenever its deadline fired breaks TO4: a body that swallowed its cancellation loses its result"
  )
  func deadlineWinsTimeoutFails() throws {
    #expect(Self.deadlineWins != Self.fixed)
    let path = try file(Self.deadlineWins, named: "deadline_wins.py")
    for (python, finished) in try checkOnEveryPython(path, scope: "Timeout") {
      try deadlineWinsTimeoutFails(finished, python: python)
    }
  }

  private func deadlineWinsTimeoutFails(_ finished: Finished, python: String) throws {
    #expect(finished.status == 1, "\(python): \(finished)")
    let title = "TO4 a body that swallows its CancelledError completes, with no TimeoutError"
    let broken = section(finished.output, from: "broken  \(title): ")
    #expect(
      broken.first?.contains(
        "a body that swallowed its cancellation and completed came out as TimeoutError") == true,
      "\(python): \(finished)")
    // The trace shows the exit that received nothing and raised TimeoutError all the same.
    #expect(
      broken.joined(separator: "\n").containsInOrder([
        "the trace that broke it:", "enter Timeout#1", "exit Timeout#1 (received none)",
        "exit-done Timeout#1: exit raised TimeoutError",
      ]), "\(python): \(broken)")
    // The cleanup's own error is lost the same way; the rest holds.
    #expect(
      finished.output.contains("broken  TO4 an error after the deadline"), "\(python): \(finished)")
    for rule in ["W1", "W2", "W3", "W4", "TO1", "TO2", "TO3 its own", "TO3 an outside", "TO6"] {
      #expect(finished.output.contains("held    \(rule)"), "\(python) \(rule): \(finished)")
    }
    let summary = try #require(finished.output.split(separator: "\n").last)
    #expect(summary.contains(" of 13 rules broken: "), "\(python): \(summary)")
    #expect(
      summary.contains("TO4 (a body that swallows its CancelledError completes"),
      "\(python): \(summary)")
  }

  @Test("a scope that suppresses every error may suppress a KeyError, not a cancellation")
  func swallowingScope() throws {
    let path = try file(Self.swallow, named: "swallow.py")
    let finished = try check(path, scope: "Swallow", kind: "scope")
    #expect(finished.status == 1, "\(finished)")
    #expect(
      finished.output.contains(
        "held    W3 exit sees the body's error; it may suppress it: exit "
          + "suppressed the KeyError"), "\(finished)")
    let broken = section(
      finished.output, from: "broken  W4 a cancellation it did not cause propagates")
    #expect(broken.first?.contains("suppressed by the scope") == true, "\(finished)")
    #expect(broken.contains { $0.hasSuffix("Swallow#1 suppressed CancelledError") }, "\(broken)")
    // Four rules for a plain scope: no timeout rule ran.
    #expect(!finished.output.contains("TO3"), "\(finished)")
    #expect(
      finished.output.hasSuffix(
        "1 of 4 rules broken: W4 (a cancellation it did not cause propagates)\n"))
  }

  @Test("no such scope in the file is invalid input")
  func noSuchScope() throws {
    let path = try file(Self.naive, named: "timeouts.py")
    let finished = try check(path, scope: "Timout", kind: "timeout")
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.errors == "error: \(path): no scope 'Timout' in it\n", "\(finished)")
    #expect(finished.output.isEmpty, "\(finished)")
  }

  @Test("a NAME that does not build an async context manager is invalid input")
  func notAScope() throws {
    let path = try file(
      """
      class Plain:
          def __enter__(self):
              return self

          def __exit__(self, *exc):
              return False


      class NoDelay:
          async def __aenter__(self):
              return self

          async def __aexit__(self, *exc):
              return False

      """, named: "plain.py")
    let plain = try check(path, scope: "Plain", kind: "scope")
    #expect(plain.status == 2, "\(plain)")
    #expect(
      plain.errors
        == "error: \(path): Plain() is not an async context manager (no __aenter__ or __aexit__)\n",
      "\(plain)")
    // --kind timeout builds NAME(delay): a class that takes no delay is refused so.
    let noDelay = try check(path, scope: "NoDelay", kind: "timeout")
    #expect(noDelay.status == 2, "\(noDelay)")
    #expect(
      noDelay.errors.hasPrefix("error: \(path): NoDelay(10.0) raised TypeError: "), "\(noDelay)")
    #expect(noDelay.output.isEmpty, "\(noDelay)")
  }

  @Test("a syntax error is invalid input, with the file and line")
  func syntaxError() throws {
    let path = try file(
      """
      import asyncio

      class Timeout
          pass

      """, named: "broken.py")
    let finished = try check(path, scope: "Timeout", kind: "timeout")
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.errors.hasPrefix("error: \(path):3: SyntaxError: "), "\(finished)")
    #expect(finished.errors.split(separator: "\n").count == 1, "\(finished)")
    #expect(finished.output.isEmpty, "\(finished)")
  }

  @Test("a missing file, and a file neither Python nor Swift, are invalid input")
  func missingFileAndOtherLanguage() throws {
    let missing = scopelab.home.path + "/nowhere.py"
    let finished = try check(missing, scope: "Timeout", kind: "timeout")
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.errors == "error: \(missing): no such file\n", "\(finished)")
    let text = try file("class Timeout: pass\n", named: "timeout.txt")
    let refused = try check(text, scope: "Timeout", kind: "timeout")
    #expect(refused.status == 2, "\(refused)")
    #expect(
      refused.errors == "error: \(text): check grades a .py file or a .swift file\n",
      "\(refused)")
  }

  @Test("the report is fitted to the width, broken between words only")
  func wrappedToTheWidth() throws {
    let path = try file(Self.swallow, named: "swallow.py")
    let arguments = ["check", path, "--scope", "Swallow", "--kind", "scope"]
    scopelab.extraEnvironment["COLUMNS"] = "60"
    let narrow = try scopelab.run(arguments, timeout: 120)
    scopelab.extraEnvironment["COLUMNS"] = "1000"
    let wide = try scopelab.run(arguments, timeout: 120)
    #expect(narrow.status == 1 && wide.status == 1, "\(narrow)\n\(wide)")
    let narrowLines = narrow.output.split(separator: "\n")
    #expect(narrowLines.allSatisfy { $0.count <= 60 }, "\(narrow)")
    // Wide, the verdicts and the summary are one line each; narrow, they were wrapped.
    #expect(wide.output.split(separator: "\n").contains { $0.count > 60 }, "\(wide)")
    #expect(narrowLines.count > wide.output.split(separator: "\n").count, "\(narrow)")
    // The same words in the same order (times and pids aside): no word was cut.
    func words(_ text: String) -> [String] {
      text.split(whereSeparator: \.isWhitespace).map {
        $0.contains(where: \.isNumber) ? "#" : String($0)
      }
    }
    #expect(words(narrow.output) == words(wide.output), "\(narrow)\n\(wide)")
    // A wrapped verdict goes on under its text, a trace line under the trace's text.
    let verdict = try #require(narrowLines.firstIndex { $0.hasPrefix("broken  W4 ") })
    #expect(narrowLines[verdict + 1].hasPrefix("        "), "\(narrow)")
  }
}
