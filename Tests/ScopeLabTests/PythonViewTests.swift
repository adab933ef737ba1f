import Foundation
import ScopeLab
import TestSupport
import Testing

/// The compared trace lines of `sources` from scopelab and from their Python views: the
/// Python runs go on in their processes while scopelab runs the programs. (Every corpus
/// program's views are proved in GeneratedCorpusTests, beside its compiled Swift view, on
/// one run of the interpreter.)
private func traces(_ sources: [String]) async throws
  -> [(swift: [[String: Any]], python: [[String: Any]])]
{
  let scripts = try sources.map(
    { PythonView.render(try Program(parsing: $0), parameters: .builtIn, traced: true) })
  let pythonRuns = Task { try await runPython(scripts) }
  var swiftRuns: [[[String: Any]]] = []
  for source in sources {
    let record = try await runProgram(source)
    swiftRuns.append(traceEvents(record.events.map(JSONLTraceSink.encode).joined(separator: "\n")))
  }
  return zip(swiftRuns, try await pythonRuns.value).map { ($0, traceEvents($1.output)) }
}

private func render(_ source: String, traced: Bool = false) throws -> String {
  PythonView.render(try Program(parsing: source), parameters: .builtIn, traced: traced)
}

private func isBefore(_ first: String, _ second: String, in keys: [String]) -> Bool {
  guard let one = keys.firstIndex(of: first), let two = keys.firstIndex(of: second) else {
    return false
  }
  return one < two
}

@Suite struct PythonViewTests {
  // MARK: - each known difference, shown

  @Test func knownDifferencesAreShown() async throws {
    let cases = KnownDifference.allCases
    let results = try await traces(cases.map(\.example))
    for (difference, (swift, python)) in zip(cases, results) {
      let swiftKeys = swift.map(traceKey)
      let pythonKeys = python.map(traceKey)
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
