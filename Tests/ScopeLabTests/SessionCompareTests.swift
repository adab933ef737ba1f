import AsyncScope
import Glibc
import LineEditor
import TestSupport
import Testing

@testable import ScopeLab

/// The REPL's `compare [PROGRAM]`: which program it compares (the one given, the step's,
/// the last one run), with the session's parameters; differing is a result, not an error;
/// Ctrl-C stops it and the prompt comes back. Needs python3 3.11+.
@Suite("Session: compare", .serialized, .timeLimit(.minutes(2)))
struct SessionCompareTests {
  @Test("compare with no program, no lesson and no run: one line of error")
  func nothingToCompare() async {
    let harness = SessionHarness()
    let reply = await harness.execute("compare")
    reply.expectOneLineError(containing: "no program to compare")
  }

  @Test("compare PROGRAM: the table, then agree; the command is done")
  func givenProgram() async {
    let harness = SessionHarness()
    let reply = await harness.execute("compare scope A { print body }")
    #expect(reply.result == .done)
    #expect(reply.errors.isEmpty)
    #expect(reply.outputLines.first?.hasPrefix("   scopelab ") == true)
    #expect(reply.outputLines.contains { $0.ranges(of: "print body").count == 2 })
    #expect(reply.outputLines.last == "agree")
  }

  @Test("the traces differing is a result, not invalid input")
  func differing() async {
    let harness = SessionHarness()
    let reply = await harness.execute("compare timeout 0.05 { busy 0.15 }")
    #expect(reply.result == .done)
    #expect(reply.output.contains("known difference busyBlocksTheLoop:"))
    #expect(reply.outputLines.last?.hasPrefix("differ: first at event 2") == true)
  }

  @Test("a program that does not parse is invalid input, before anything runs")
  func invalid() async {
    let harness = SessionHarness()
    let reply = await harness.execute("compare timeout 2 { sleeep 1 }")
    #expect(reply.result == .invalid)
    #expect(reply.output.isEmpty)
    #expect(reply.errorLines.first?.contains("did you mean 'sleep'?") == true)
  }

  @Test("both sides run with the session's parameters as set")
  func parameters() async {
    let harness = SessionHarness()
    _ = await harness.execute("set timeout 50ms")
    _ = await harness.execute("set sleep 0.3")
    let reply = await harness.execute("compare timeout $timeout { sleep $sleep }")
    #expect(reply.result == .done)
    #expect(reply.outputLines.last == "agree", "\(reply.output)")
    // TimeoutError on both sides: the parameters reached Python too.
    let result = reply.outputLines.first { $0.contains("result") } ?? ""
    #expect(result.ranges(of: "result TimeoutError").count == 2, "\(result)")
  }

  @Test("compare alone compares the last program run")
  func lastRun() async {
    let harness = SessionHarness()
    _ = await harness.execute("run scope Last { print again }")
    let reply = await harness.execute("compare")
    #expect(reply.result == .done)
    #expect(reply.output.contains("enter Last#1"), "\(reply.output)")
    #expect(reply.outputLines.last == "agree")
  }

  @Test("compare alone in a lesson compares the step's program, with its parameters")
  func lessonStep() async {
    let harness = SessionHarness(lessons: StubLessons())
    _ = await harness.execute("run scope Other { }")
    _ = await harness.execute("lesson demo")
    var reply = await harness.execute("compare")
    #expect(reply.output.contains("print step one"), "\(reply.output)")
    #expect(!reply.output.contains("Other"))
    _ = await harness.execute("next")
    // `timeout $poll { ... }`: the lesson's own parameter, known to the comparison.
    reply = await harness.execute("compare")
    #expect(reply.result == .done, "\(reply.errors)")
    #expect(reply.output.contains("print step two"), "\(reply.output)")
    #expect(reply.outputLines.last == "agree")
  }

  @Test("in the REPL loop: Ctrl-C during compare stops it, and the next command runs")
  func controlC() async {
    let harness = SessionHarness()
    let (interrupts, press) = AsyncStream<Void>.makeStream()
    let me = getpid()
    let presser = Task {
      // The program's child is up: scopelab's side of the comparison is running.
      while !ProcessTable().children(of: me).contains(where: { $0.command == "sleep" }) {
        try? await Task.sleep(for: .milliseconds(20))
      }
      press.yield()
    }
    let reader = ScriptedLineReader(["compare process sleep 30 { wait }", "run print next"])
    let clock = ContinuousClock()
    let start = clock.now
    let status = await ReplLoop(
      session: harness.session, reader: reader, showsPrompt: false, interrupts: interrupts
    ).run()
    await presser.value
    #expect(clock.now - start < .seconds(10))
    #expect(status == 0)
    let text = harness.output.text
    #expect(
      text.containsInOrder([
        "result KeyboardInterrupt",
        "interrupted: Ctrl-C stopped the scopelab run and the Python run\n", "next\n",
      ]), "\(text)")
    #expect(!ProcessTable().children(of: me).contains { $0.command == "sleep" })
  }
}

extension String {
  /// Whether the pieces occur in this order, each after the end of the one before.
  fileprivate func containsInOrder(_ pieces: [String]) -> Bool {
    var rest = self[...]
    for piece in pieces {
      guard let range = rest.firstRange(of: piece) else { return false }
      rest = rest[range.upperBound...]
    }
    return true
  }
}
