import Testing

@testable import ScopeLab

@Suite("Transcripts: timelines compared by their shape")
struct TimelineShapeTests {
  static let drawn = [
    "timeline  0            500ms         1s           1.5s          2s",
    "timeout#1 [=====================================================Fx TimeoutError",
    "  A#1     [=========================================---------------c CancellationError",
    "[ enter  = body  - exit  F fired  c cancelled  x error",
  ]

  @Test("a picture reduces to its labels, marks in order and words")
  func shape() {
    #expect(
      TimelineShape.comparable(Self.drawn) == [
        "timeline", "timeout#1 [Fx TimeoutError", "  A#1 [c CancellationError",
        "[ enter  F fired  c cancelled  x error",
      ])
  }

  @Test("an exit drawn a column wide adds `= body  - exit` to the legend: the same shape")
  func legendOfASlowExit() {
    // As replay --check met it on a loaded machine: the recording's teardown took no
    // column, the check's took a few, and the legend named `=` and `-`.
    let recorded = [
      "timeline  0            500ms",
      "timeout#1     [=====================Fx TimeoutError",
      "  process#1   [====================Sc CancellationError",
      "[ enter  F fired  S signalled  c cancelled  x error",
    ]
    var checked = recorded
    checked[2] = "  process#1   [====================--Sc CancellationError"
    checked[3] = "[ enter  = body  - exit  F fired  S signalled  c cancelled  x error"
    #expect(TimelineShape.comparable(checked) == TimelineShape.comparable(recorded))
    // Any other mark the legend gains or loses is a different picture.
    var fired = recorded
    fired[3] = "[ enter  F fired  R rescheduled  S signalled  c cancelled  x error"
    #expect(TimelineShape.comparable(fired) != TimelineShape.comparable(recorded))
  }

  @Test("the same picture drawn a few columns differently has the same shape")
  func jitter() {
    let redrawn = [
      "timeline  0               250ms           500ms",
      "timeout#1 [===============================================Fx TimeoutError",
      "  A#1     [=========================================-------c CancellationError",
      "[ enter  = body  - exit  F fired  c cancelled  x error",
    ]
    #expect(TimelineShape.comparable(redrawn) == TimelineShape.comparable(Self.drawn))
  }

  @Test("a mark drawn a column later, or a body one cell longer, has the same shape")
  func marksMove() {
    let early = ["timeline  0  25ms", "timeout#1 [R=====================Fx TimeoutError"]
    let late = ["timeline  0  25ms", "timeout#1 [=R===================Fx TimeoutError"]
    #expect(TimelineShape.comparable(early) == TimelineShape.comparable(late))
    #expect(TimelineShape.comparable(early)[1] == "timeout#1 [RFx TimeoutError")
  }

  @Test("a different mark, label or outcome is a different shape")
  func differences() {
    var suppressed = Self.drawn
    suppressed[2] = "  A#1     [=========================================---------------]"
    var exitOnly = Self.drawn
    exitOnly[2] =
      "  A#1     [-------------------------------------------------------c CancellationError"
    #expect(TimelineShape.comparable(exitOnly) == TimelineShape.comparable(Self.drawn))
    #expect(TimelineShape.comparable(suppressed) != TimelineShape.comparable(Self.drawn))
    var renamed = Self.drawn
    renamed[1] = "timeout#2 [=====================================================Fx TimeoutError"
    #expect(TimelineShape.comparable(renamed) != TimelineShape.comparable(Self.drawn))
  }

  @Test("lines outside a picture are left alone, one for one")
  func otherLines() {
    let lines = ["  0.000s  enter A#1", "timeline", "A#1 [=]", "error: x [y]", "  0.000s  => ok"]
    #expect(
      TimelineShape.comparable(lines) == [
        "  0.000s  enter A#1", "timeline", "A#1 []", "error: x [y]", "  0.000s  => ok",
      ])
    #expect(TimelineShape.comparable(["  0.1s  x", "y [a  b]"]) == ["  0.1s  x", "y [a  b]"])
  }
}
