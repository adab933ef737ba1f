import PosixThread
import Testing

@testable import ScopeLab

/// `replay --check` costs what its commands cost: each command's output is taken on its
/// own, not cut out of everything printed so far. The bounds are on the CPU time the
/// process spends (the runs are serial, so it is this test's), which a busy machine does
/// not stretch as it stretches real time, and generous: a linear check of 10 000 commands
/// takes about 2.5 s of CPU in a debug build (about 250 us a command), a quadratic one -
/// a minute at 20 000 commands - about 15 s more: the 8 s bound sits between them with
/// room on both sides.
@Suite("Transcript check: linear in its commands", .timeLimit(.minutes(3)))
struct TranscriptCheckScaleTests {
  /// A transcript of `count` commands `print N`, each with the output it gives.
  private func transcript(commands count: Int, wrongAt wrong: Int? = nil) -> String {
    var text = "---\nscopelab: transcript\n---\n\n```scopelab\n"
    for index in 0..<count {
      let printed = index == wrong ? "not \(index)" : "\(index)"
      text += "scopelab> print \(index)\n  0.000s  \(printed)\n  0.000s  => ok\n"
      text += "audit: ok - no scopes\n"
    }
    return text + "```\n"
  }

  @Test("10 000 commands are checked in seconds, each against its own output")
  func manyCommands() async throws {
    let count = 10_000
    let document = try TranscriptDocument(
      parsing: transcript(commands: count, wrongAt: count - 2), name: "big.md")
    let start = Syscall.processCPUTime()
    let outcome = try await TranscriptCheck().run(document, consent: .nothing)
    let spent = Syscall.processCPUTime() - start
    #expect(spent < .seconds(8), "\(spent) of CPU time")
    #expect(outcome.commands.count == count)
    // Each command's actual output is its own, even at the end of a long run.
    #expect(
      outcome.commands.last?.actual == [
        "  0.000s  \(count - 1)", "  0.000s  => ok", "audit: ok - no scopes",
      ])
    #expect(outcome.failures.map(\.command.lineNumber) == [6 + 4 * (count - 2)])
    #expect(!outcome.passed)
  }

  @Test("a command's long output that still matches is lined up in one pass, not a table")
  func longOutput() {
    let count = 5_000
    let expected = (0..<count).map {
      ExpectedLine(text: "  0.000s  line \($0)", lineNumber: 10 + $0)
    }
    var actual = expected.map(\.text)
    actual[count - 1] = "  0.000s  changed"
    let start = Syscall.processCPUTime()
    let matcher = OutputMatcher()
    let same = matcher.match(expected: expected, actual: expected.map(\.text))
    let changed = matcher.match(expected: expected, actual: actual)
    let spent = Syscall.processCPUTime() - start
    // One pass: well under a second of CPU; a table of every pair of lines: minutes.
    #expect(spent < .seconds(20), "\(spent) of CPU time")
    #expect(same.isMatch && same.steps == (0..<count).map { .matched(expected: $0, actual: $0) })
    #expect(!changed.isMatch)
    #expect(
      changed.steps.suffix(2)
        == [
          .matched(expected: count - 2, actual: count - 2),
          .replaced(expected: count - 1, actual: count - 1, written: "  0.000s  changed"),
        ])
  }

  @Test("a line changed in the middle of a long output costs one pass too")
  func changeInTheMiddle() {
    let count = 5_000
    let expected = (0..<count).map { ExpectedLine(text: "line \($0)", lineNumber: 1 + $0) }
    var actual = expected.map(\.text)
    actual[count / 2] = "changed"
    actual.insert("new", at: count / 2 + 1)
    let start = Syscall.processCPUTime()
    let result = OutputMatcher().match(expected: expected, actual: actual)
    #expect(Syscall.processCPUTime() - start < .seconds(20), "CPU time")
    #expect(!result.isMatch)
    let unmatched = result.steps.filter {
      if case .matched = $0 { return false }
      return true
    }
    #expect(
      unmatched == [
        .replaced(expected: count / 2, actual: count / 2, written: "changed"),
        .extra(actual: count / 2 + 1),
      ])
    #expect(result.steps.last == .matched(expected: count - 1, actual: count))
    #expect(result.steps.count == count + 1)
  }

  @Test("after a matching start the rest is aligned as before, indices and all")
  func matchingStartThenTheRest() {
    let lines = ["a", "b", "...", "x", "c  0.010s", "d"]
    let expected = lines.enumerated().map { ExpectedLine(text: $1, lineNumber: 20 + $0) }
    let result = OutputMatcher().match(
      expected: expected, actual: ["a", "b", "skipped", "x", "c  0.500s", "e"])
    #expect(
      result.steps == [
        .matched(expected: 0, actual: 0), .matched(expected: 1, actual: 1),
        .ellipsis(expected: 2, actual: 2..<3), .matched(expected: 3, actual: 3),
        .replaced(expected: 4, actual: 4, written: "c  0.500s"),
        .replaced(expected: 5, actual: 5, written: "e"),
      ])
    #expect(result.timingProblems.count == 1)
    #expect(result.timingProblems.first?.hasPrefix("line 24: ") == true, "\(result.timingProblems)")
  }
}
