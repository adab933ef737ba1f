import AsyncScope
import TestSupport
import Testing

@testable import ScopeLab

/// A session writing into memory, and what each command added to its output and errors.
struct SessionHarness {
  let output = CapturedOutput()
  let errors = CapturedOutput()
  let session: Session

  /// - Parameter textWidth: the columns prose is fitted to (80, as in a pipe); a test of
  ///   what a text says rather than how it is laid out may give a width no line reaches.
  /// - Parameter screenWidth: the columns of the terminal the output goes to (trace lines
  ///   and code are wrapped to it, the timeline drawn at it); `nil`, a pipe (80 columns).
  /// - Parameter clock: what the session's programs run on: the continuous clock, or a
  ///   ``ManualClock`` the test moves (``execute(_:advancing:)``).
  init(
    lessons: any LessonNavigator = LessonGuide(), textWidth: Int = 80, screenWidth: Int? = nil,
    clock: any Clock<Duration> = ContinuousClock()
  ) {
    session = Session(
      output: output, errors: errors, clock: clock, lessons: lessons,
      transcripts: RecordAndReplay(),
      timelineWidth: { screenWidth ?? 80 },
      textWidth: { textWidth }, screenWidth: { screenWidth })
  }

  /// What one command did: its result and the text it added to each stream.
  struct Reply {
    let result: CommandResult
    let output: String
    let errors: String

    var outputLines: [String] { output.split(separator: "\n").map(String.init) }
    var errorLines: [String] { errors.split(separator: "\n").map(String.init) }

    /// The trace part of a run's output: the lines before the timeline and the audit.
    var traceLines: [String] {
      Array(outputLines.prefix { !$0.hasPrefix("timeline") && !$0.hasPrefix("audit: ") })
    }

    /// The timeline part of a run's output, without the audit line after it.
    var timelineLines: [String] {
      Array(outputLines.drop { !$0.hasPrefix("timeline") }.prefix { !$0.hasPrefix("audit: ") })
    }

    /// The audit line that ends a run's output, if there is one.
    var auditLine: String? {
      outputLines.last.flatMap { $0.hasPrefix("audit: ") ? $0 : nil }
    }
  }

  func execute(_ line: String) async -> Reply {
    let outputBefore = output.text.count
    let errorsBefore = errors.text.count
    let result = await session.execute(line)
    return Reply(
      result: result,
      output: String(output.text.dropFirst(outputBefore)),
      errors: String(errors.text.dropFirst(errorsBefore)))
  }

  /// Runs `line` while `drive` moves the session's ``ManualClock``: the command's reply
  /// once both are done.
  func execute(_ line: String, advancing drive: @escaping @Sendable () async -> Void) async
    -> Reply
  {
    let driver = Task { await drive() }
    let reply = await execute(line)
    // A run that ended without the clock moving (it did not sleep where the driver
    // waits) fails its test rather than hanging it.
    driver.cancel()
    await driver.value
    return reply
  }
}

extension SessionHarness.Reply {
  /// Checks that the command was refused with exactly one line on errors and no output.
  func expectOneLineError(
    containing fragment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(result == .invalid, sourceLocation: sourceLocation)
    #expect(output.isEmpty, "output: \(output)", sourceLocation: sourceLocation)
    #expect(errorLines.count == 1, "errors: \(errors)", sourceLocation: sourceLocation)
    #expect(errors.hasPrefix("error: "), sourceLocation: sourceLocation)
    #expect(errors.hasSuffix("\n"), sourceLocation: sourceLocation)
    #expect(errors.contains(fragment), "errors: \(errors)", sourceLocation: sourceLocation)
  }
}

/// A one-lesson navigator standing in for the lessons issue: it shows that a catalog
/// plugs into the session through ``LessonNavigator`` alone.
struct StubLessons: LessonNavigator {
  var step = 0
  var isOpen = false
  let programs = ["print step one", "timeout $poll { print step two }"]

  var position: String? { isOpen ? "demo \(step + 1)/\(programs.count)" : nil }
  var currentProgram: String? { isOpen ? programs[step] : nil }
  var lessonIDs: [String] { ["demo", "demo-two"] }

  mutating func perform(_ command: LessonCommand, parameters: inout Parameters) -> LessonReply {
    switch command {
    case .open("demo"):
      isOpen = true
      step = 0
      parameters.declare("poll", default: UserDuration(.milliseconds(300)), summary: "poll")
      return .shown("demo: step 1\n")
    case .open(let other):
      return .failed("no lesson '\(other)'")
    case .next where isOpen && step + 1 < programs.count:
      step += 1
      return .shown("demo: step \(step + 1)\n")
    default:
      return .failed("'\(command.name)' does nothing here")
    }
  }
}
