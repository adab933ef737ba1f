import TestSupport
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

  /// The example whose trace moves with lateness: its child must be spawned within the
  /// 500 ms deadline for `started pid` to come before `fired timeout#1`.
  static func isLatenessSensitive(_ example: Example) -> Bool {
    example.program.hasPrefix("timeout 0.5 { runner { process")
  }

  /// Every example, and the sleep-versus-timeout lesson's failing run, started at once:
  /// they mostly sleep (up to 2 s each), so side by side they take about the longest one's
  /// time rather than the sum (7 s one after another). Each is then checked as it was in a
  /// test of its own (the failing messages name the program). The lateness-sensitive
  /// example runs alone once the others have ended, as it did before.
  @Test func examplesRunAsWritten() throws {
    let together = Self.examples.filter { !Self.isLatenessSensitive($0) }
    let lesson = try Scopelab().start(["run", Self.lessonProgram, "--set", "sleep=3"])
    let started = try together.map { try Scopelab().start(["run", $0.program]) }
    for (example, process) in zip(together, started) {
      try Self.check(example, Self.finish(process))
    }
    try Self.checkTheLessonsFailure(Self.finish(lesson))
    for example in Self.examples where Self.isLatenessSensitive(example) {
      try Self.check(example, Scopelab().run(["run", example.program]))
    }
  }

  static func check(_ example: Example, _ finished: Finished) {
    #expect(finished.status == example.status, "\(example.program)\n\(finished)")
    #expect(finished.output.containsInOrder(example.trace), "\(example.program)\n\(finished)")
    #expect(finished.errors.isEmpty, "\(example.program)\n\(finished)")
  }

  static func finish(_ process: PipedProcess) throws -> Finished {
    let termination = try process.finish(timeout: 30)
    return Finished(
      termination: termination, output: process.outputText, errors: process.errorText)
  }

  /// The sleep-versus-timeout lesson's program with `sleep=3`: it fails.
  static let lessonProgram = #"timeout $timeout { sleep $sleep; print "done" }; print "after""#

  static func checkTheLessonsFailure(_ finished: Finished) {
    #expect(finished.status == 1, "\(finished)")
    // The trace's own lines end in "done" or "after" only where the program printed them.
    #expect(!finished.lines.contains { $0.hasSuffix(" done") }, "\(finished)")
    #expect(!finished.lines.contains { $0.hasSuffix(" after") }, "\(finished)")
    #expect(
      finished.lines.last?.contains("  => TimeoutError: timeout(2s) expired after 2.0") == true,
      "\(finished)")
  }
}
