import Foundation
import Glibc
import TestSupport
import Testing

/// `scopelab trace FILE.py`, run as a process on real CPython: every test runs on each
/// Python found - 3.11 (the sys.setprofile path) and 3.12+ (sys.monitoring) - since the
/// tracer has a code path for each (DESIGN.md "Contract: real code").
@Suite(.serialized, .timeLimit(.minutes(3)))
struct TraceEndToEndTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  /// The interpreters to test with: 3.11, 3.12 and 3.13, each found (3.11 is required).
  static let pythons = InstalledPythons.all

  @Test("Python 3.11 and a newer one (the two hook paths) are found")
  func bothPathsAreTested() {
    #expect(Self.pythons.contains { $0.hasSuffix("3.11") || $0 == "/usr/bin/python3" })
    #expect(Self.pythons.count >= 2, "only \(Self.pythons): the sys.monitoring path goes untested")
  }

  /// Writes `source` as `name` in this instance's home; its path.
  private func file(_ source: String, named name: String = "program.py") throws -> String {
    try scopelab.home.write(name, source)
    return scopelab.home.path + "/" + name
  }

  /// `scopelab trace FILE --python PYTHON EXTRA...`.
  private func trace(
    _ source: String, python: String, _ extra: [String] = []
  ) throws -> Finished {
    try scopelab.run(["trace", try file(source), "--python", python] + extra, timeout: 60)
  }

  /// The JSONL trace of `source`, each line read with Foundation's JSON parser.
  private func events(
    _ source: String, python: String
  ) throws -> (Finished, [[String: Any]]) {
    let finished = try trace(source, python: python, ["--trace-format", "jsonl"])
    var events: [[String: Any]] = []
    for line in finished.output.split(separator: "\n", omittingEmptySubsequences: false)
    where !line.isEmpty {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
      events.append(try #require(object as? [String: Any], "not an object: \(line)"))
    }
    #expect(finished.output.hasSuffix("\n"), "\(finished)")
    return (finished, events)
  }

  /// `event scope-id error` for each event, for comparing shapes.
  private func shape(_ events: [[String: Any]]) -> [String] {
    events.map { event in
      var words = [event["event"] as? String ?? "?"]
      if let id = event["id"] as? String { words.append(id) }
      if event.keys.contains("error") { words.append(event["error"] as? String ?? "none") }
      if let text = event["text"] as? String { words.append(text) }
      return words.joined(separator: " ")
    }
  }

  // MARK: - Scopes

  @Test("a class's __aenter__/__aexit__ is a scope named by its class", arguments: pythons)
  func classScope(python: String) throws {
    let run = try trace(
      """
      import asyncio

      class Resource:
          async def __aenter__(self):
              print("open")
              return self

          async def __aexit__(self, exc_type, exc, tb):
              await asyncio.sleep(0.01)
              print("close")

      async def main():
          async with Resource():
              print("body")

      asyncio.run(main())
      """, python: python)
    #expect(run.status == 0, "\(run)")
    // Without the time column (8 wide, then 2 spaces).
    let lines = run.lines.dropLast().map { String($0.dropFirst(10)) }
    #expect(
      lines == [
        "enter Resource#1", "  open", "  body", "exit Resource#1 (received none)", "  close",
        "exit-done Resource#1", "=> ok",
      ], "\(run)")
    #expect(run.lines.last == "audit: ok - 1 exit ran once", "\(run)")
  }

  @Test(
    "an @asynccontextmanager is named by its function; its body's error goes on",
    arguments: pythons)
  func asyncContextManager(python: String) throws {
    let (run, events) = try events(
      """
      import asyncio, contextlib

      @contextlib.asynccontextmanager
      async def connection():
          print("connect")
          try:
              yield
          finally:
              print("disconnect")

      async def main():
          async with connection():
              raise KeyError("k")

      asyncio.run(main())
      """, python: python)
    #expect(run.status == 1, "\(run)")
    #expect(
      shape(events) == [
        "enter connection#1", "print connect", "exit connection#1 KeyError",
        "print disconnect", "exit-done connection#1 KeyError", "result KeyError",
      ], "\(run)")
    #expect(events.first?["scope"] as? String == "connection")
    #expect(events.first?["depth"] as? Int == 0)
    #expect(events[1]["depth"] == nil, "depth only on scope events")
    #expect(run.errors == "audit: ok - 1 exit ran once\n", "\(run)")
  }

  @Test("the program's own exception: exit 1 with => ErrorName: message", arguments: pythons)
  func uncaughtException(python: String) throws {
    let run = try trace(
      """
      import asyncio

      async def main():
          raise ValueError("bad value")

      asyncio.run(main())
      """, python: python)
    #expect(run.status == 1, "\(run)")
    let last = try #require(run.lines.dropLast().last)
    #expect(last.hasSuffix("  => ValueError: bad value (program.py:4)"), "\(run)")
  }

  @Test(
    "asyncio.timeout firing: exit receives CancelledError, exit-done TimeoutError",
    arguments: pythons)
  func timeoutFires(python: String) throws {
    let (run, events) = try events(
      """
      import asyncio

      async def main():
          async with asyncio.timeout(0.2):
              await asyncio.sleep(5)

      asyncio.run(main())
      """, python: python)
    #expect(run.status == 1, "\(run)")
    #expect(
      shape(events) == [
        "enter timeout#1", "fired timeout#1", "exit timeout#1 CancelledError",
        "exit-done timeout#1 TimeoutError", "result TimeoutError",
      ], "\(run)")
    let fired = try #require(events[1]["t"] as? Double)
    #expect(fired >= 0.18 && fired < 2, "fired at \(fired)")
    #expect(events[2]["expired"] as? Bool == true)
    #expect(events[4]["outcome"] as? String == "TimeoutError")
  }

  @Test("the text trace says a timeout converted the cancellation", arguments: pythons)
  func timeoutConvertsInText(python: String) throws {
    let run = try trace(
      """
      import asyncio

      async def main():
          try:
              async with asyncio.timeout(0.05):
                  await asyncio.sleep(5)
          except TimeoutError:
              print("caught")

      asyncio.run(main())
      """, python: python)
    #expect(run.status == 0, "\(run)")
    #expect(
      run.output.containsInOrder([
        "fired timeout#1", "exit timeout#1 (received CancelledError, expired)",
        "exit-done timeout#1: CancelledError -> TimeoutError (deadline passed, TO3)", "caught",
        "=> ok",
      ]), "\(run)")
  }

  @Test(
    "a timeout whose body swallows the cancellation: the body's result stands (TO4)",
    arguments: pythons)
  func timeoutBodyFinishes(python: String) throws {
    let run = try trace(
      """
      import asyncio

      async def main():
          async with asyncio.timeout(0.05):
              try:
                  await asyncio.sleep(5)
              except asyncio.CancelledError:
                  print("swallowed")
          print("after")

      asyncio.run(main())
      """, python: python)
    #expect(run.status == 0, "\(run)")
    #expect(
      run.output.containsInOrder([
        "fired timeout#1", "swallowed", "exit timeout#1 (received none, expired)",
        "exit-done timeout#1: deadline passed, but the body finished (TO4)", "after", "=> ok",
      ]), "\(run)")
  }

  @Test(
    "an __aexit__ that returns True suppresses; the code after the block runs",
    arguments: pythons)
  func suppressingExit(python: String) throws {
    let (run, events) = try events(
      """
      import asyncio

      class Ignore:
          async def __aenter__(self):
              return self

          async def __aexit__(self, *exc):
              return True

      async def main():
          async with Ignore():
              raise KeyError("lost")
          print("after")

      asyncio.run(main())
      """, python: python)
    #expect(run.status == 0, "\(run)")
    #expect(
      shape(events) == [
        "enter Ignore#1", "exit Ignore#1 KeyError", "suppressed Ignore#1 KeyError",
        "exit-done Ignore#1 none", "print after", "result none",
      ], "\(run)")
    #expect(events.last?["outcome"] as? String == "ok")
  }

  @Test(
    "a TaskGroup with a failing task: tasks are task scopes, the group raises",
    arguments: pythons)
  func taskGroup(python: String) throws {
    let (run, events) = try events(
      """
      import asyncio

      async def work(seconds, fail):
          await asyncio.sleep(seconds)
          if fail:
              raise ValueError("task failed")

      async def main():
          async with asyncio.TaskGroup() as group:
              group.create_task(work(0.1, True))
              group.create_task(work(5, False))

      asyncio.run(main())
      """, python: python)
    #expect(run.status == 1, "\(run)")
    let shapes = shape(events).joined(separator: "\n")
    #expect(
      shapes.containsInOrder([
        "enter group#1", "enter task#1", "enter task#2", "exit group#1 none",
        "exit task#1 ValueError", "exit-done task#1 ValueError",
      ]), "\(shapes)")
    #expect(
      shapes.containsInOrder([
        "exit task#2 CancelledError", "exit-done task#2 CancelledError",
        "exit-done group#1 ExceptionGroup", "result ExceptionGroup",
      ]), "\(shapes)")
    let task = try #require(events.first { $0["id"] as? String == "task#1" })
    #expect(task["scope"] as? String == "task")
    #expect(task["depth"] as? Int == 1)
    let elapsed = try #require(events.last?["t"] as? Double)
    #expect(elapsed < 3, "the failure cancelled the 5 s task")
  }

  @Test(
    "print is print lines, sys.stderr output lines, in order with the scopes",
    arguments: pythons)
  func printAndStderr(python: String) throws {
    let (run, events) = try events(
      """
      import asyncio, sys

      class A:
          async def __aenter__(self):
              print("entering", end="")
              print("!")
              return self

          async def __aexit__(self, *exc):
              print("warned", file=sys.stderr)

      async def main():
          async with A():
              print("body")

      asyncio.run(main())
      """, python: python)
    #expect(run.status == 0, "\(run)")
    #expect(
      shape(events) == [
        "enter A#1", "print entering!", "print body", "exit A#1 none", "output warned",
        "exit-done A#1 none", "result none",
      ], "\(run)")
    let warned = try #require(events.first { $0["event"] as? String == "output" })
    #expect(warned["stream"] as? String == "stderr")
  }

  // MARK: - Processes

  @Test("a subprocess: started, its output, status and reaped", arguments: pythons)
  func subprocess(python: String) throws {
    let (run, events) = try events(
      """
      import asyncio

      async def main():
          child = await asyncio.create_subprocess_exec("sh", "-c", "echo hi; exit 3")
          print("status", await child.wait())

      asyncio.run(main())
      """, python: python)
    #expect(run.status == 0, "\(run)")
    let started = try #require(events.first { $0["event"] as? String == "started" })
    let pid = try #require(started["pid"] as? Int)
    #expect(started["text"] as? String == "sh -c echo hi; exit 3")
    let forChild = events.filter { ($0["pid"] as? Int) == pid }.map { $0["event"] as? String }
    #expect(forChild == ["started", "status", "reaped"], "\(events)")
    #expect(events.contains { $0["status"] as? String == "exited(3)" })
    #expect(
      events.contains { $0["event"] as? String == "output" && $0["text"] as? String == "hi" })
    #expect(
      events.contains { $0["event"] as? String == "print" && $0["text"] as? String == "status 3" }
    )
    #expect(run.errors.hasPrefix("audit: ok"), "\(run)")
  }

  @Test(
    "Process.terminate() and kill() signal the one process: the trace names no group",
    arguments: pythons)
  func terminateSignalsOneProcess(python: String) throws {
    let script = """
      import asyncio

      async def main():
          child = await asyncio.create_subprocess_exec("sleep", "60")
          child.terminate()
          await child.wait()
          other = await asyncio.create_subprocess_exec("sleep", "60")
          other.kill()
          await other.wait()

      asyncio.run(main())
      """
    let run = try trace(script, python: python)
    #expect(run.status == 0, "\(run)")
    let pids = run.lines.compactMap { line -> pid_t? in
      guard let range = line.range(of: "started pid ") else { return nil }
      return pid_t(line[range.upperBound...].prefix { $0.isNumber })
    }
    #expect(pids.count == 2, "\(run)")
    let signals = run.lines.compactMap { line in
      line.range(of: "signal SIG").map { String(line[$0.lowerBound...]) }
    }
    let expected = zip(["SIGTERM", "SIGKILL"], pids).map { "signal \($0) to pid \($1)" }
    #expect(signals == expected, "\(run)")
    let (_, events) = try events(script, python: python)
    let signalled = events.filter { $0["event"] as? String == "signal" }
    #expect(signalled.count == 2 && signalled.allSatisfy { $0["group"] as? Bool == false })
  }

  @Test(
    "a child left running: a loud audit, and scopelab kills and reaps it",
    arguments: pythons)
  func leakedChild(python: String) throws {
    let run = try trace(
      """
      import asyncio

      async def main():
          await asyncio.create_subprocess_exec("sleep", "60")
          await asyncio.create_subprocess_exec("sleep", "61", start_new_session=True)

      asyncio.run(main())
      """, python: python)
    #expect(run.status == 0, "the outcome is ok: \(run)")
    let pids = run.lines.compactMap { line -> pid_t? in
      guard let range = line.range(of: "started pid ") else { return nil }
      return pid_t(line[range.upperBound...].prefix { $0.isNumber })
    }
    #expect(pids.count == 2, "\(run)")
    let audit = try #require(run.lines.last)
    #expect(audit.hasPrefix("audit: WRONG - "), "\(run)")
    for pid in pids {
      #expect(
        audit.contains("pid \(pid) (sleep 6")
          && audit.contains(
            "was still running after the program ended: killed (PR2)"),
        "\(audit)")
    }
    let left = ProcessTable.waitUntilGone(pids: pids, groups: [])
      .filter { $0.state != "Z" }
    #expect(left.isEmpty, "still running: \(left)")
  }

  @Test(
    "Ctrl-C: exit 130, every exit runs, Python stopped, its child reaped",
    arguments: pythons)
  func controlC(python: String) throws {
    let path = try file(
      """
      import asyncio

      class Guard:
          async def __aenter__(self):
              return self

          async def __aexit__(self, *exc):
              print("cleanup")

      async def main():
          async with Guard():
              await asyncio.create_subprocess_exec("sleep", "60")
              await asyncio.sleep(60)

      asyncio.run(main())
      """)
    let process = try scopelab.start(["trace", path, "--python", python])
    try process.expectOutput("started pid ", timeout: 30)
    let rest = try process.expectOutput(":")
    let child = try #require(pid_t(rest.dropLast()), "\(rest)")
    process.signal(SIGINT)
    let ended = process.waitForExit(timeout: 20)
    #expect(ended == .exited(130), "\(process.outputText) \(process.errorText)")
    #expect(
      process.outputText.containsInOrder([
        "interrupt: Ctrl-C (SIGINT)", "exit Guard#1 (received CancelledError)", "cleanup",
        "=> KeyboardInterrupt",
      ]), "\(process.outputText)")
    let left = ProcessTable.waitUntilGone(pids: [child], groups: []).filter { $0.state != "Z" }
    #expect(left.isEmpty, "still running: \(left)")
  }

  @Test("SIGTERM: exit 143, every exit runs, the outcome is SIGTERM")
  func sigterm() throws {
    let python = try #require(Self.pythons.first)
    let path = try file(
      """
      import asyncio

      class Guard:
          async def __aenter__(self):
              print("entered")
              return self

          async def __aexit__(self, *exc):
              print("cleanup")

      async def main():
          async with Guard():
              await asyncio.sleep(60)

      asyncio.run(main())
      """)
    let process = try scopelab.start(["trace", path, "--python", python])
    try process.expectOutput("entered", timeout: 30)
    process.signal(SIGTERM)
    let ended = process.waitForExit(timeout: 20)
    #expect(ended == .exited(143), "\(process.outputText) \(process.errorText)")
    #expect(
      process.outputText.containsInOrder([
        "interrupt: SIGTERM", "exit Guard#1 (received CancelledError)", "cleanup", "=> SIGTERM",
      ]), "\(process.outputText)")
  }

  // MARK: - What the audit names

  @Test("an __aexit__ that ran twice, and one that never ran", arguments: pythons)
  func exitTwiceAndNever(python: String) throws {
    let run = try trace(
      """
      import asyncio

      class Scope:
          async def __aenter__(self):
              return self

          async def __aexit__(self, *exc):
              return False

      async def main():
          twice = Scope()
          async with twice:
              pass
          await twice.__aexit__(None, None, None)
          never = Scope()
          await never.__aenter__()

      asyncio.run(main())
      """, python: python)
    #expect(run.status == 0, "\(run)")
    let audit = try #require(run.lines.last)
    #expect(audit.contains("Scope#1 exited 2 times (W2)"), "\(run)")
    #expect(audit.contains("Scope#2 never exited (W2)"), "\(run)")
  }

  // MARK: - Invalid input

  @Test(
    "a syntax error: exit 2, one line with the learner's file and line",
    arguments: pythons)
  func syntaxError(python: String) throws {
    let path = try file("import asyncio\n\nasync def main(:\n    pass\n", named: "broken.py")
    let run = try scopelab.run(["trace", path, "--python", python])
    #expect(run.status == 2, "\(run)")
    #expect(run.output.isEmpty, "\(run)")
    #expect(run.errors.hasPrefix("\(path):3: SyntaxError: "), "\(run)")
    #expect(run.errors.split(separator: "\n").count == 1, "\(run)")
  }

  @Test("a missing file (.py or .swift), and a file of neither kind: exit 2, one line")
  func missingAndOther() throws {
    let missing = scopelab.home.path + "/nowhere.py"
    let run = try scopelab.run(["trace", missing])
    #expect(run.status == 2, "\(run)")
    #expect(run.errors == "error: \(missing): no such file\n", "\(run)")
    let missingSwift = scopelab.home.path + "/scope.swift"
    let swift = try scopelab.run(["trace", missingSwift])
    #expect(swift.status == 2, "\(swift)")
    #expect(swift.errors == "error: \(missingSwift): no such file\n", "\(swift)")
    let other = try scopelab.run(["trace", try file("x", named: "notes.txt")])
    #expect(other.status == 2, "\(other)")
  }
}
