import Testing

/// DESIGN.md's example programs ("These must run exactly as written"), run by the
/// built binary, with their exit status and the trace lines they must show in order.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct DesignExampleTests {
  struct Example: CustomTestStringConvertible, Sendable {
    var program: String
    var status: Int32
    var trace: [String]

    var testDescription: String { program }
  }

  static let examples: [Example] = [
    Example(
      program: #"timeout 2 { sleep 1; print "done" }; print "after""#, status: 0,
      trace: [
        "enter timeout#1", "done", "exit timeout#1 (received none)", "exit-done timeout#1",
        "after", "=> ok",
      ]),
    Example(
      program: #"timeout $timeout { sleep $sleep; print "done" }; print "after""#, status: 0,
      trace: ["enter timeout#1", "done", "exit timeout#1", "exit-done timeout#1", "after", "=> ok"]),
    Example(
      program: "runner { sleep 0.5 }", status: 0,
      trace: [
        "enter runner#1", "running=true", "exit runner#1", "running=false", "exit-done runner#1",
        "=> ok",
      ]),
    Example(
      program: #"process sh -c "echo hi; exit 3" { wait }"#, status: 0,
      trace: [
        "enter process#1", "started pid", "stdout | hi", "exited(3)", "reaped",
        "exit-done process#1", "=> ok",
      ]),
    Example(
      program: "timeout 0.5 { runner { process sleep 10 { wait } } }", status: 1,
      trace: [
        "enter timeout#1", "enter runner#1", "enter process#1", "started pid", "fired timeout#1",
        "signal SIGTERM", "reaped", "exit-done process#1: CancellationError goes on",
        "running=false", "exit-done runner#1: CancellationError goes on", "exit timeout#1",
        "exit-done timeout#1: CancellationError -> TimeoutError", "=> TimeoutError: timeout(500ms)",
      ]),
    Example(
      program: "scope A { scope B { print body } }", status: 0,
      trace: [
        "enter A#1", "enter B#1", "body", "exit B#1", "exit-done B#1", "exit A#1",
        "exit-done A#1", "=> ok",
      ]),
    Example(
      program: "try { timeout 1 { sleep 3 } } catch TimeoutError { print caught }", status: 0,
      trace: [
        "enter timeout#1", "fired timeout#1", "exit timeout#1",
        "exit-done timeout#1: CancellationError -> TimeoutError", "caught", "=> ok",
      ]),
    Example(
      program: "group { task { sleep 0.2; print a }; task { sleep 0.1; print b } }; print after",
      status: 0,
      trace: [
        "enter group#1", "enter task#1", "enter task#2", "b", "exit-done task#2", "a",
        "exit-done task#1", "exit-done group#1", "after", "=> ok",
      ]),
    Example(
      program: "timeout 1 { group { task { sleep 3 }; task { sleep 0.2; throw KeyError } } }",
      status: 1,
      trace: [
        "enter timeout#1", "enter group#1", "enter task#1", "enter task#2",
        "exit task#2 (received KeyError)", "exit task#1 (received CancellationError)",
        "exit-done group#1: KeyError", "exit-done timeout#1: KeyError goes on", "=> KeyError",
      ]),
  ]

  @Test(arguments: examples)
  func runsAsWritten(_ example: Example) throws {
    let finished = try Scopelab().run(["run", example.program])
    #expect(finished.status == example.status, "\(finished)")
    #expect(finished.output.containsInOrder(example.trace), "\(finished)")
    #expect(finished.errors.isEmpty, "\(finished)")
  }

  @Test func theSleepVersusTimeoutLessonFailsWhenTheSleepIsLonger() throws {
    let program = #"timeout $timeout { sleep $sleep; print "done" }; print "after""#
    let finished = try Scopelab().run(["run", program, "--set", "sleep=3"])
    #expect(finished.status == 1, "\(finished)")
    // The trace's own lines end in "done" or "after" only where the program printed them.
    #expect(!finished.lines.contains { $0.hasSuffix(" done") }, "\(finished)")
    #expect(!finished.lines.contains { $0.hasSuffix(" after") }, "\(finished)")
    #expect(
      finished.lines.last?.contains("  => TimeoutError: timeout(2s) expired after 2.0") == true,
      "\(finished)")
  }
}
