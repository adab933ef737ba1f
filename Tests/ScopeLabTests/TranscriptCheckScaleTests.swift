import Testing

@testable import ScopeLab

/// `replay --check` costs what its commands cost: each command's output is taken on its
/// own, not cut out of everything printed so far. The time bound is generous: a linear
/// check of 20 000 commands takes a few seconds in a debug build, a quadratic one about a
/// minute.
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

  @Test("20 000 commands are checked in seconds, each against its own output")
  func manyCommands() async throws {
    let count = 20_000
    let document = try TranscriptDocument(
      parsing: transcript(commands: count, wrongAt: count - 2), name: "big.md")
    let clock = ContinuousClock()
    let start = clock.now
    let outcome = try await TranscriptCheck().run(document)
    let elapsed = start.duration(to: clock.now)
    #expect(elapsed < .seconds(25), "\(elapsed)")
    #expect(outcome.commands.count == count)
    // Each command's actual output is its own, even at the end of a long run.
    #expect(
      outcome.commands.last?.actual == [
        "  0.000s  \(count - 1)", "  0.000s  => ok", "audit: ok - no scopes",
      ])
    #expect(outcome.failures.map(\.command.lineNumber) == [6 + 4 * (count - 2)])
    #expect(!outcome.passed)
  }
}
