import AsyncScope
import Testing

@testable import ScopeLab

@Suite("Lesson files")
struct LessonParserTests {
  @Test("a lesson file gives its id, title, parameters, steps, programs, hints and exercises")
  func parsesTheDemo() throws {
    let lesson = try LessonFixtures.lesson(LessonFixtures.demo)
    #expect(lesson.id == "demo")
    #expect(lesson.title == "A demo lesson")
    #expect(lesson.parameters.map(\.name) == ["sleep", "pause"])
    #expect(lesson.parameters[0].value == UserDuration(.milliseconds(100)))
    #expect(lesson.introduction == ["The introduction."])
    #expect(lesson.steps.map(\.title) == ["Predict a sleep", "Make it time out", "The end"])
    let first = lesson.steps[0]
    #expect(first.prose == ["Before the program."])
    #expect(first.afterProgram == ["After the program."])
    #expect(first.program == #"timeout $timeout { sleep $sleep; print "done" }"#)
    #expect(first.hints == ["First hint.", "Second hint, saying more."])
    #expect(first.exercise == .predict(answer: "ok", look: "the sleep is short"))
    let second = lesson.steps[1]
    #expect(second.settings == [.init(name: "sleep", value: UserDuration(.milliseconds(20)))])
    guard case .challenge(let challenge)? = second.exercise else {
      Issue.record("step 2 is no challenge")
      return
    }
    #expect(challenge.goal == #"the deadline fires and "late" never prints"#)
    #expect(challenge.outcome == "TimeoutError")
    #expect(challenge.has.map(\.description) == ["fired timeout"])
    #expect(challenge.lacks.map(\.description) == ["print late"])
    #expect(challenge.solution == "timeout 0.05 { sleep 1; print late }")
    #expect(lesson.steps[2].program == nil)
    #expect(lesson.steps[2].exercise == nil)
  }

  @Test("a step's parameters are the lesson's defaults with the step's own on top")
  func stepParameters() throws {
    let lesson = try LessonFixtures.lesson(LessonFixtures.demo)
    let first = lesson.parameters(atStep: 1)
    #expect(try first.value("sleep") == UserDuration(.milliseconds(100)))
    #expect(try first.value("pause") == UserDuration(.milliseconds(50)))
    #expect(try first.value("timeout") == UserDuration(.seconds(2)))
    let second = lesson.parameters(atStep: 2)
    #expect(try second.value("sleep") == UserDuration(.milliseconds(20)))
    #expect(second.entries["sleep"]?.defaultValue == UserDuration(.milliseconds(20)))
  }

  /// The demo with `old` replaced by `new`: a lesson with one thing wrong.
  static func broken(_ old: String, _ new: String) -> String {
    precondition(LessonFixtures.demo.contains(old), "not in the demo: \(old)")
    return LessonFixtures.demo.replacingFirst(old, with: new)
  }

  @Test(
    "a malformed lesson is one error naming the file, the line and the problem",
    arguments: [
      (broken("id: demo\n", ""), "demo.md:1: the front matter has no 'id'"),
      (broken("id: demo", "id: Demo_1"), "demo.md:2: the id 'Demo_1' must be lowercase"),
      (
        broken("title: A demo lesson\n", "title: x\nauthor: me\n"),
        "demo.md:4: 'author' is not a lesson key"
      ),
      (broken("parameters: sleep=100ms", "parameters: sleep=fast"), "demo.md:4: parameters: "),
      (
        broken("predict: ok", "predikt: ok"),
        "demo.md:22: 'predikt' is not a step key - did you mean 'predict'?"
      ),
      (broken("predict: ok", "predict: not an outcome"), "demo.md:22: predict takes an outcome"),
      (
        broken("sleep $sleep; print", "sleep $slep; print"),
        "demo.md:16: the program does not run: unknown parameter '$slep'"
      ),
      (
        broken("set: sleep=20ms", "set: nap=20ms"),
        "demo.md:35: set: this lesson has no parameter 'nap'"
      ),
      (
        broken("has: fired timeout", "has: fire timeout"),
        "demo.md:38: has: 'fire' is not a trace event - did you mean 'fired'?"
      ),
      (
        broken("lacks: print late", "time: print late 2s"), "demo.md:39: time: '2s' is not a window"
      ),
      (
        broken("outcome: TimeoutError\n", "").replacingFirst("has: fired timeout\n", with: "")
          .replacingFirst("lacks: print late\n", with: ""), "a challenge needs something to check"
      ),
      (
        broken("Nothing to run here.", "```scope\nprint a\n```\n```scope\nprint b\n```"),
        "a step has one ```scope program; this is a second"
      ),
      (
        broken("# A demo lesson", "```scopelab\nscopelab> run\n```"),
        "demo.md:7: an example block belongs in a step"
      ),
      (broken("look: the sleep is short", "outcome: ok"), "'outcome' belongs to a challenge"),
      ("no front matter\n## step\n", "demo.md:1: a lesson starts with a front matter"),
      ("---\nid: x\ntitle: y\n---\nno steps\n", "demo.md:5: a lesson has at least one step"),
    ])
  func malformed(_ text: String, _ message: String) {
    #expect(throws: TranscriptError.self) { try LessonFixtures.lesson(text) }
    do {
      _ = try LessonFixtures.lesson(text)
    } catch let error as TranscriptError {
      #expect(error.description.contains(message), "got: \(error.description)")
      #expect(!error.description.contains("\n"))
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test("event patterns match trace events by event, scope, error and text")
  func patterns() throws {
    let timeout = ScopeIdentity(name: "timeout", id: "timeout#2", depth: 0)
    let fired = TraceEvent(time: .seconds(1), scope: timeout, depth: 0, kind: .fired)
    let exit = TraceEvent(
      time: .seconds(1), scope: timeout, depth: 0,
      kind: .exit(error: "CancellationError", expired: true))
    let printed = TraceEvent(time: .zero, scope: nil, depth: 0, kind: .print(text: "hello world"))
    let flag = TraceEvent(
      time: .zero, scope: nil, depth: 0, kind: .flag(name: "running", value: false))
    #expect(try EventPattern(parsing: "fired").matches(fired))
    #expect(try EventPattern(parsing: "fired timeout").matches(fired))
    #expect(try EventPattern(parsing: "fired timeout#2").matches(fired))
    #expect(try !EventPattern(parsing: "fired timeout#1").matches(fired))
    #expect(try !EventPattern(parsing: "fired runner").matches(fired))
    #expect(try !EventPattern(parsing: "exit timeout").matches(fired))
    #expect(try EventPattern(parsing: "exit timeout CancellationError").matches(exit))
    #expect(try !EventPattern(parsing: "exit timeout KeyError").matches(exit))
    #expect(try EventPattern(parsing: #"print "hello world""#).matches(printed))
    #expect(try EventPattern(parsing: "print hello world").matches(printed))
    #expect(try !EventPattern(parsing: "print hello").matches(printed))
    #expect(try EventPattern(parsing: "flag running=false").matches(flag))
    #expect(try !EventPattern(parsing: "flag running=true").matches(flag))
    #expect(throws: PatternError.self) { try EventPattern(parsing: "flag up") }
    #expect(throws: PatternError.self) { try EventPattern(parsing: "exit a b c") }
  }

  @Test("a challenge names each part of the goal the trace missed")
  func challengeMisses() throws {
    var challenge = Challenge(goal: "g")
    challenge.outcome = "TimeoutError"
    challenge.has = [try EventPattern(parsing: "fired timeout")]
    challenge.lacks = [try EventPattern(parsing: "print late")]
    challenge.before = [
      Challenge.Order(try EventPattern(parsing: "print a"), try EventPattern(parsing: "print b"))
    ]
    challenge.times = [
      Challenge.Window(
        try EventPattern(parsing: "print a"), .milliseconds(900)...(.milliseconds(1200)))
    ]
    func event(_ seconds: Double, _ kind: TraceEvent.Kind) -> TraceEvent {
      TraceEvent(time: .milliseconds(Int(seconds * 1000)), scope: nil, depth: 0, kind: kind)
    }
    let missing = [
      event(0.1, .print(text: "b")), event(0.5, .print(text: "a")),
      event(0.6, .print(text: "late")),
      event(0.7, .result(outcome: "ok", value: nil, context: nil, detail: nil)),
    ]
    let missed = challenge.missed(in: missing)
    #expect(missed.count == 5, "\(missed)")
    #expect(missed.contains("the outcome was ok, the goal is TimeoutError"))
    #expect(missed.contains("no 'fired timeout' in the trace"))
    #expect(missed.contains { $0.hasPrefix("'print late' happened (at 0.600s)") })
    #expect(missed.contains("'print b' came before 'print a'"))
    #expect(missed.contains("'print a' happened at 0.500s, the goal is 0.900s..1.200s"))
    let timeout = ScopeIdentity(name: "timeout", id: "timeout#1", depth: 0)
    let solved = [
      TraceEvent(time: .milliseconds(950), scope: nil, depth: 0, kind: .print(text: "a")),
      TraceEvent(time: .seconds(1), scope: nil, depth: 0, kind: .print(text: "b")),
      TraceEvent(time: .seconds(1), scope: timeout, depth: 0, kind: .fired),
      TraceEvent(
        time: .seconds(1), scope: nil, depth: 0,
        kind: .result(outcome: "TimeoutError", value: nil, context: nil, detail: nil)),
    ]
    #expect(challenge.missed(in: solved).isEmpty)
  }
}

extension String {
  /// The text with the first `old` replaced by `new`.
  func replacingFirst(_ old: String, with new: String) -> String {
    guard let range = range(of: old) else { return self }
    return String(self[..<range.lowerBound]) + new + String(self[range.upperBound...])
  }

  private func range(of needle: String) -> Range<String.Index>? {
    var index = startIndex
    while index < endIndex {
      if self[index...].hasPrefix(needle) {
        return index..<self.index(index, offsetBy: needle.count)
      }
      index = self.index(after: index)
    }
    return nil
  }
}
