import AsyncScope
import Testing

@testable import ScopeLab

/// Checks on a busy machine: the late edges of a command's timing windows move by what a
/// ``SchedulingProbe`` measured while it ran (here given, not measured), never the early
/// edges, and never by more than the cap.
@Suite struct BusyMachineTests {
  /// A transcript of `run sleep SECONDS; print done` that recorded `done` at `recorded`.
  private func transcript(sleep: String, recorded: String) throws -> TranscriptDocument {
    try TranscriptDocument(
      parsing: """
        ```scopelab
        scopelab> run sleep \(sleep); print done
          \(recorded)  done
          \(recorded)  => ok
        audit: ok - no scopes
        ```

        """, name: "busy.md")
  }

  private func check(_ document: TranscriptDocument, lateness: Duration) async throws
    -> TranscriptCheck.FileOutcome
  {
    try await TranscriptCheck(probe: SchedulingProbe(fixed: lateness))
      .run(document, consent: .nothing)
  }

  @Test("a trace 300 ms late passes on a machine measured 250 ms late, and fails on an idle one")
  func lateTrace() async throws {
    let late = try transcript(sleep: "0.4", recorded: "0.100s")
    let busy = try await check(late, lateness: .milliseconds(250))
    #expect(busy.passed)
    #expect(busy.widening == .milliseconds(750))
    let report = TranscriptCheck.report(busy, file: "busy.md")
    #expect(report.hasPrefix("ok busy.md (1 command, "), "\(report)")
    #expect(
      report.hasSuffix("; the machine was busy: late edges widened by up to 750 ms)\n"),
      "\(report)")

    let idle = try await check(late, lateness: .zero)
    #expect(!idle.passed)
    #expect(idle.widening == .zero)
    #expect(!TranscriptCheck.report(idle, file: "busy.md").contains("machine was busy"))
    // Lateness an idle machine shows widens nothing.
    #expect(try await !check(late, lateness: .milliseconds(15)).passed)
  }

  @Test("an early trace fails however busy the machine")
  func earlyTrace() async throws {
    let early = try transcript(sleep: "0.1", recorded: "0.500s")
    let outcome = try await check(early, lateness: .milliseconds(250))
    #expect(!outcome.passed)
    let report = TranscriptCheck.report(outcome, file: "busy.md")
    #expect(report.contains("0.1"), "\(report)")
    #expect(report.contains(" is early: the window for 0.500s is 0.480s to "), "\(report)")
    #expect(report.hasSuffix("the machine was busy: late edges widened by up to 750 ms\n"))
  }

  @Test("a wildly late trace fails: the widening is capped at 1 s")
  func cap() async throws {
    #expect(SchedulingProbe.widening(forLateness: .seconds(2)) == .seconds(1))
    #expect(SchedulingProbe.widening(forLateness: .milliseconds(19)) == .zero)
    #expect(SchedulingProbe.widening(forLateness: .milliseconds(100)) == .milliseconds(300))
    let wild = try transcript(sleep: "1.4", recorded: "0.100s")
    #expect(try await !check(wild, lateness: .seconds(5)).passed)
  }

  @Test("a challenge's time window moves its late edge by the allowance, never its early one")
  func challengeWindow() throws {
    var challenge = Challenge(goal: "g")
    challenge.times = [
      Challenge.Window(try EventPattern(parsing: "print a"), .zero...(.milliseconds(150)))
    ]
    func printed(at milliseconds: Int) -> [TraceEvent] {
      [TraceEvent(time: .milliseconds(milliseconds), scope: nil, depth: 0, kind: .print(text: "a"))]
    }
    #expect(
      challenge.missed(in: printed(at: 300)) == [
        "'print a' happened at 0.300s, the goal is 0.000s..0.150s"
      ])
    #expect(challenge.missed(in: printed(at: 300), lateBy: .milliseconds(200)).isEmpty)
    // The goal is shown as written, so a recorded verdict reads the same.
    #expect(
      challenge.missed(in: printed(at: 400), lateBy: .milliseconds(200)) == [
        "'print a' happened at 0.400s, the goal is 0.000s..0.150s"
      ])
    // Too busy to tell: the verdict the transcript recorded without the allowance holds.
    let late = [
      "challenge not solved:", "  - 'print a' happened at 0.300s, the goal is 0.000s..0.150s",
    ]
    let busy = ChallengeTiming(
      lateAllowance: .milliseconds(200), recorded: ["...", late[0], late[1]])
    #expect(busy.missed(challenge, in: printed(at: 300), verdict: LessonGuide.notSolved).count == 1)
    // ... when the run now is late too (0.330s against the recorded 0.300s), as a busy
    // machine makes it: the recorded line still matches, within its timing window.
    #expect(busy.missed(challenge, in: printed(at: 330), verdict: LessonGuide.notSolved).count == 1)
    let solved = ChallengeTiming(lateAllowance: .milliseconds(200), recorded: ["challenge solved"])
    #expect(solved.missed(challenge, in: printed(at: 300), verdict: LessonGuide.notSolved).isEmpty)
    // Too late even with the allowance: missed whatever was recorded.
    #expect(
      solved.missed(challenge, in: printed(at: 400), verdict: LessonGuide.notSolved).count == 1)
    challenge.times = [
      Challenge.Window(
        try EventPattern(parsing: "print a"), .milliseconds(450)...(.milliseconds(1000)))
    ]
    #expect(challenge.missed(in: printed(at: 300), lateBy: .seconds(1)).count == 1)
  }

  /// A lesson whose challenge wants `print a` by 0.15 s, and an example that prints it at
  /// 0.3 s and says the challenge was solved.
  static let lesson = """
    ---
    id: busy-lesson
    title: Busy
    ---

    # Busy

    ## Early

    Print early.

    ```scope
    sleep 0.3; print a
    ```

    ```step
    challenge: print a early
    time: print a 0s..0.15s
    solution: print a
    ```

    ```scopelab
    scopelab busy-lesson 1/1> run
      0.300s  a
      0.300s  => ok
    audit: ok - no scopes
    challenge solved
    ...
    ```

    """

  @Test("a lesson's challenge time window widens with the check's late edges")
  func challengeInACheck() async throws {
    let document = try TranscriptDocument(parsing: Self.lesson, name: "busy-lesson.md")
    let busy = try await check(document, lateness: .milliseconds(250))
    #expect(busy.passed, "\(TranscriptCheck.report(busy, file: "busy-lesson.md"))")
    let idle = try await check(document, lateness: .zero)
    let report = TranscriptCheck.report(idle, file: "busy-lesson.md")
    #expect(!idle.passed)
    #expect(report.contains("+challenge not solved:"), "\(report)")
  }

  @Test("the probe keeps its worst lateness once stopped; a given one is never measured")
  func probeStops() async throws {
    let probe = SchedulingProbe()
    probe.start()
    try await Task.sleep(for: .milliseconds(50))
    let worst = probe.stop()
    #expect(worst >= .zero && worst < .seconds(10))
    try await Task.sleep(for: .milliseconds(20))
    #expect(probe.lateness == worst)
    let given = SchedulingProbe(fixed: .milliseconds(40))
    given.start()
    #expect(given.stop() == .milliseconds(40))
    #expect(given.widening == .milliseconds(120))
  }
}
