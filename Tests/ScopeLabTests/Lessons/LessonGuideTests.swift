import AsyncScope
import Glibc
import LineEditor
import TestSupport
import Testing

@testable import ScopeLab

@Suite("Stepping through lessons")
struct LessonGuideTests {
  @Test("lessons lists each lesson with its number, id, title and done/total")
  func list() async throws {
    let harness = try LessonFixtures.harness()
    let reply = await harness.execute("lessons")
    #expect(reply.result == .done)
    #expect(reply.outputLines[0].hasPrefix("   1  demo      A demo lesson"))
    #expect(reply.outputLines[0].hasSuffix("0/3"))
    #expect(reply.outputLines[1].hasPrefix("   2  demo-two  The second demo"))
    #expect(reply.outputLines.last?.contains("'lesson N' or 'lesson NAME' opens one") == true)
  }

  @Test("lesson opens by id or number, shows the introduction and step 1, and sets the prompt")
  func open() async throws {
    for name in ["demo", "1"] {
      let harness = try LessonFixtures.harness()
      let reply = await harness.execute("lesson \(name)")
      #expect(reply.result == .done)
      #expect(reply.outputLines.first == "A demo lesson (demo, 3 steps)")
      #expect(reply.output.contains("The introduction."))
      #expect(reply.output.contains("== demo 1/3: Predict a sleep =="))
      #expect(reply.output.contains(#"    timeout $timeout { sleep $sleep; print "done" }"#))
      #expect(reply.output.contains("with $timeout = 2s, $sleep = 100ms"))
      #expect(reply.output.contains("Exercise: predict the outcome."))
      #expect(harness.session.prompt == "scopelab demo 1/3> ")
      #expect(try harness.session.parameters.value("pause") == UserDuration(.milliseconds(50)))
    }
  }

  @Test(
    "a lesson that does not exist is one error, with the nearest id",
    arguments: [
      ("lesson dmeo", "no lesson 'dmeo' - did you mean 'demo'?"),
      ("lesson two", "no lesson 'two' - did you mean 'demo-two'?"),
      ("lesson 3", "there are 2 lessons: lesson 1 to 2"), ("lesson 0", "lesson 1 to 2"),
      ("lesson zzzzzzz", "no lesson 'zzzzzzz' ('lessons' lists them)"),
      ("lesson /nonexistent/x.md", "/nonexistent/x.md: no such file"),
    ])
  func missing(_ line: String, _ message: String) async throws {
    let harness = try LessonFixtures.harness()
    let reply = await harness.execute(line)
    reply.expectOneLineError(containing: message)
    #expect(harness.session.prompt == "scopelab> ")
  }

  @Test("next, back, step N and where move through the steps, each applying its parameters")
  func moving() async throws {
    let harness = try LessonFixtures.harness()
    _ = await harness.execute("lesson demo")
    _ = await harness.execute("set sleep 5")
    let next = await harness.execute("next")
    #expect(next.output.hasPrefix("(this step's values: sleep = 20ms)"))
    #expect(next.output.contains("== demo 2/3: Make it time out =="))
    #expect(next.output.contains("Challenge: the deadline fires"))
    #expect(harness.session.prompt == "scopelab demo 2/3> ")
    #expect(try harness.session.parameters.value("sleep") == UserDuration(.milliseconds(20)))
    _ = await harness.execute("set sleep 7")
    let reset = await harness.execute("reset")
    #expect(reset.output.hasPrefix("parameters reset to this step's values: sleep = 20ms"))
    #expect(
      try harness.session.parameters.value("sleep") == UserDuration(.milliseconds(20)),
      "reset restores the step's values")
    let whereAmI = await harness.execute("where")
    #expect(whereAmI.output == "demo 2/3: Make it time out (0/3 done)\n")
    _ = await harness.execute("step 3")
    #expect(harness.session.prompt == "scopelab demo 3/3> ")
    _ = await harness.execute("back")
    _ = await harness.execute("back")
    #expect(harness.session.prompt == "scopelab demo 1/3> ")
    #expect(try harness.session.parameters.value("sleep") == UserDuration(.milliseconds(100)))
    await harness.execute("back").expectOneLineError(containing: "this is the first step")
    await harness.execute("step 4").expectOneLineError(
      containing: "step takes a number from 1 to 3, not '4'")
    await harness.execute("step x").expectOneLineError(containing: "not 'x'")
  }

  @Test("show prints the step again; a step without a program says 'run' has nothing to run")
  func show() async throws {
    let harness = try LessonFixtures.harness()
    _ = await harness.execute("lesson demo")
    let shown = await harness.execute("show")
    #expect(shown.output.hasPrefix("== demo 1/3: Predict a sleep =="))
    #expect(shown.output.contains("Before the program.\n\n    timeout"))
    #expect(shown.output.contains("After the program."))
    _ = await harness.execute("step 3")
    await harness.execute("run").expectOneLineError(containing: "this step has no program")
    let python = await harness.execute("show python")
    #expect(python.result == .invalid, "no step program and nothing run yet")
  }

  @Test("hint reveals the step's hints one at a time, then says there are no more")
  func hints() async throws {
    let harness = try LessonFixtures.harness()
    await harness.execute("hint").expectOneLineError(containing: "no lesson open")
    _ = await harness.execute("lesson demo")
    #expect(await harness.execute("hint").output == "Hint 1/2: First hint.\n")
    #expect(await harness.execute("hint").output == "Hint 2/2: Second hint, saying more.\n")
    let third = await harness.execute("hint")
    #expect(third.output.hasPrefix("No more hints: that was 2 of 2."))
    _ = await harness.execute("step 3")
    await harness.execute("hint").expectOneLineError(containing: "this step has no hints")
  }

  @Test("next at the last step says the lesson is done, or which steps are not, and what is next")
  func lastStep() async throws {
    let harness = try LessonFixtures.harness()
    _ = await harness.execute("lesson demo")
    _ = await harness.execute("step 3")
    let end = await harness.execute("next")
    #expect(end.output.contains("That was the last step: demo is done but for steps 1, 2 (1/3)"))
    #expect(
      end.output.contains("Next: lesson 2, demo-two - The second demo: type 'lesson demo-two'."))
    _ = await harness.execute("lesson demo-two")
    _ = await harness.execute("run")
    let last = await harness.execute("next")
    #expect(last.output.contains("demo-two is done (1/1)."))
    #expect(last.output.contains("That was the last lesson."))
    #expect(await harness.execute("lessons").outputLines[1].hasSuffix("1/1  finished"))
  }

  @Test("a prediction that held solves a predict step; one that did not says what to look at")
  func predictions() async throws {
    let store = MemoryProgressStore()
    let harness = try LessonFixtures.harness(store: store)
    _ = await harness.execute("lesson demo")
    let unasked = await harness.execute("run")
    #expect(unasked.output.contains("(this step asks for a prediction first"))
    let predicted = await harness.execute("predict timeouterror")
    #expect(predicted.output == "prediction: TimeoutError - now 'run' and see\n")
    let wrong = await harness.execute("run")
    #expect(
      wrong.output.contains(
        "prediction did not hold: the outcome was ok\n  look at: the sleep is short"))
    #expect(store.progress["demo"].solved.isEmpty)
    _ = await harness.execute("predict ok")
    let right = await harness.execute("run")
    #expect(right.output.contains("prediction held\nexercise solved: type 'next' to go on"))
    #expect(store.progress["demo"].solved == ["predict-a-sleep"])
    #expect(store.progress["demo"].completed == ["predict-a-sleep"])
    // The prediction is for one run only, and a solved step stops asking for one.
    #expect(!(await harness.execute("run").output.contains("prediction")))
  }

  @Test(
    "predict checks its outcome",
    arguments: [
      ("predict", "usage: predict OUTCOME"), ("predict a b", "usage: predict OUTCOME"),
      ("predict 3s", "'3s' is not an outcome"),
      ("predict TimoutError", "no outcome 'TimoutError' - did you mean 'TimeoutError'?"),
      // Python's names and plain words for an outcome: no run is named by them.
      ("predict CancelledError", "no outcome 'CancelledError' - did you mean 'CancellationError'?"),
      ("predict asyncio.CancelledError", "did you mean 'CancellationError'?"),
      ("predict cancelled", "no outcome 'cancelled' - did you mean 'CancellationError'?"),
      ("predict timeout", "no outcome 'timeout' - did you mean 'TimeoutError'?"),
      ("predict TIMEOUT", "did you mean 'TimeoutError'?"),
      ("predict ExceptionGroup", "a failing group rethrows its first error"),
      ("predict interrupted", "did you mean 'KeyboardInterrupt'?"),
      ("predict CancelledErorr", "did you mean 'CancellationError'?"),
    ])
  func predictUsage(_ line: String, _ message: String) async throws {
    let harness = try LessonFixtures.harness()
    await harness.execute(line).expectOneLineError(containing: message)
    #expect(harness.session.prediction == nil)
  }

  @Test("a prediction works with no lesson open, and a wrong one points at the deciding line")
  func predictionOutsideLessons() async throws {
    let clock = ManualClock()
    let harness = try LessonFixtures.harness(clock: clock)
    _ = await harness.execute("predict ok")
    let reply = await harness.execute("run timeout 0.05 { sleep 1 }") {
      await clock.sleeping(2)
      clock.advance(by: .milliseconds(50))
    }
    #expect(reply.output.contains("prediction did not hold: the outcome was TimeoutError"))
    #expect(
      reply.output.contains("  why: TimeoutError: the deadline of timeout#1 passed at 0.050s"),
      "\(reply.output)")
    #expect(reply.output.contains("(TO3)"))
    _ = await harness.execute("predict KeyError")
    let held = await harness.execute("run throw KeyError")
    #expect(held.output.hasSuffix("prediction held\n"))
  }

  @Test("a challenge step checks every run against its goal and names what was missed")
  func challenge() async throws {
    let store = MemoryProgressStore()
    let clock = ManualClock()
    let harness = try LessonFixtures.harness(store: store, clock: clock)
    // Each run's deadline and sleep wait on the clock; it moves to the earlier of them.
    @Sendable func firstDeadline() async {
      await clock.sleeping(2)
      clock.advance(to: .init(offset: clock.pendingDeadlines[0]))
    }
    _ = await harness.execute("lesson demo")
    _ = await harness.execute("step 2")
    let own = await harness.execute("run", advancing: firstDeadline)
    #expect(
      own.output.contains(
        "challenge not solved:\n  - the outcome was ok, the goal is TimeoutError\n"
          + "  - no 'fired timeout' in the trace\n"))
    let late = await harness.execute(
      "run timeout 0.05 { try { sleep 1 } catch { print late } }", advancing: firstDeadline)
    #expect(late.output.contains("  - 'print late' happened (at 0.050s"), "\(late.output)")
    let solved = await harness.execute(
      "run timeout 0.05 { sleep 1; print late }", advancing: firstDeadline)
    #expect(solved.output.contains("challenge solved\nexercise solved: type 'next' to go on\n"))
    #expect(store.progress["demo"].solved == ["make-it-time-out"])
    let again = await harness.execute("run timeout 0.05 { sleep 1 }", advancing: firstDeadline)
    #expect(again.output.contains("challenge solved\n(solved before: type 'next' to go on)"))
    // Solved: the learner's other experiments in the step are not judged against it.
    let experiment = await harness.execute("run print x")
    #expect(!experiment.output.contains("challenge"), "\(experiment.output)")
    let one = await harness.execute("lesson demo-two")
    #expect(one.outputLines.first == "The second demo (demo-two, 1 step)")
  }

  @Test("progress is saved on every change, and a new session resumes where the last one stopped")
  func resume() async throws {
    let store = MemoryProgressStore()
    let first = try LessonFixtures.harness(store: store)
    _ = await first.execute("lesson demo")
    _ = await first.execute("next")
    #expect(store.progress["demo"].step == "make-it-time-out")
    #expect(store.progress.current == "demo")
    let second = try LessonFixtures.harness(store: store)
    #expect(
      second.session.lessonGreeting?.hasPrefix("Last time: demo 2/3, Make it time out") == true)
    let reopened = await second.execute("lesson demo")
    #expect(reopened.output.contains("Resuming at step 2 (0 of 3 done; 'restart' begins again)."))
    #expect(second.session.prompt == "scopelab demo 2/3> ")
    #expect(try second.session.parameters.value("sleep") == UserDuration(.milliseconds(20)))
  }

  @Test("restart goes back to step 1 and forgets the lesson's solved exercises")
  func restart() async throws {
    let store = MemoryProgressStore()
    let harness = try LessonFixtures.harness(store: store)
    _ = await harness.execute("lesson demo")
    _ = await harness.execute("predict ok")
    _ = await harness.execute("run")
    _ = await harness.execute("next")
    #expect(store.progress["demo"].solved == ["predict-a-sleep"])
    let reply = await harness.execute("restart --force")
    #expect(reply.output.hasPrefix("Starting demo again from step 1"))
    #expect(harness.session.prompt == "scopelab demo 1/3> ")
    #expect(store.progress["demo"].solved.isEmpty)
    #expect(store.progress["demo"].completed.isEmpty)
  }

  @Test("lesson FILE.md opens a lesson from disk; a malformed one is one error with file and line")
  func fromFile() async throws {
    let directory = try TemporaryDirectory()
    let good = directory.path + "/mine.md"
    try RegularFile.replace(good, with: LessonFixtures.second)
    let harness = try LessonFixtures.harness()
    let reply = await harness.execute("lesson \(good)")
    #expect(reply.result == .done)
    #expect(harness.session.prompt == "scopelab demo-two 1/1> ")
    let bad = directory.path + "/bad.md"
    try RegularFile.replace(bad, with: "---\nid: x\ntitle: y\n---\n## s\n```step\nnope: 1\n```\n")
    await harness.execute("lesson \(bad)").expectOneLineError(
      containing: "\(bad):7: 'nope' is not a step key")
    #expect(
      harness.session.prompt == "scopelab demo-two 1/1> ", "a failed open leaves the lesson open")
  }

  @Test("a prediction belongs to its step: moving to another drops it, staying keeps it")
  func predictionStaysInItsStep() async throws {
    let store = MemoryProgressStore()
    let harness = try LessonFixtures.harness(store: store)
    _ = await harness.execute("lesson demo")
    _ = await harness.execute("step 2")
    _ = await harness.execute("predict ok")
    let back = await harness.execute("back")
    #expect(back.output.hasSuffix("(your prediction ok was for demo 2/3: dropped)\n"))
    #expect(harness.session.prediction == nil)
    let run = await harness.execute("run")
    #expect(!run.output.contains("prediction held"), "\(run.output)")
    #expect(run.output.contains("this step asks for a prediction first"))
    #expect(store.progress["demo"].solved.isEmpty, "step 2's prediction does not solve step 1")
    for move in ["next", "lesson demo-two", "lesson demo", "restart"] {
      _ = await harness.execute("predict ok")
      let moved = await harness.execute(move)
      #expect(moved.output.contains("was for demo"), "\(move): \(moved.output)")
      #expect(harness.session.prediction == nil, "after \(move)")
    }
    // Showing the step again, or 'step N' to the same step, keeps it.
    _ = await harness.execute("predict ok")
    for stay in ["step 1", "show", "where", "hint"] {
      let reply = await harness.execute(stay)
      #expect(!reply.output.contains("dropped"), "\(stay)")
    }
    let solved = await harness.execute("run")
    #expect(solved.output.contains("prediction held"))
    #expect(store.progress["demo"].solved == ["predict-a-sleep"])
  }

  @Test("restart asks before forgetting solved exercises; in a pipe it needs --force")
  func restartAsks() async throws {
    let store = MemoryProgressStore()
    let harness = try LessonFixtures.harness(store: store)
    _ = await harness.execute("lesson demo")
    _ = await harness.execute("predict ok")
    _ = await harness.execute("run")
    _ = await harness.execute("next")
    await harness.execute("restart").expectOneLineError(
      containing: "restart forgets demo's solved exercises (1): 'restart --force'")
    #expect(store.progress["demo"].solved == ["predict-a-sleep"], "a refused restart keeps them")
    #expect(harness.session.prompt == "scopelab demo 2/3> ")
    let asked = Locked<[String]>([])
    let answer = Locked(false)
    harness.session.confirmation = { question in
      asked.withLock { $0.append(question) }
      return answer.withLock { $0 }
    }
    let declined = await harness.execute("restart")
    #expect(declined.result == .done)
    #expect(declined.output == "not restarted: demo is left as it was\n")
    #expect(asked.withLock { $0 } == ["restart demo? its solved exercise is forgotten [y/N] "])
    #expect(store.progress["demo"].solved == ["predict-a-sleep"])
    answer.withLock { $0 = true }
    let accepted = await harness.execute("restart")
    #expect(accepted.output.hasPrefix("Starting demo again from step 1"))
    #expect(store.progress["demo"].solved.isEmpty)
    // Nothing solved: nothing to ask.
    _ = await harness.execute("next")
    let plain = await harness.execute("restart")
    #expect(plain.output.hasPrefix("Starting demo again from step 1"))
    #expect(asked.withLock { $0.count } == 2)
  }

  @Test("in a replay, restart does not ask: the recording's restart was answered already")
  func restartInAReplay() async throws {
    let store = MemoryProgressStore()
    let harness = try LessonFixtures.harness(store: store)
    harness.session.consent = .nothing
    _ = await harness.execute("lesson demo")
    _ = await harness.execute("predict ok")
    _ = await harness.execute("run")
    let restarted = await harness.execute("restart")
    #expect(restarted.output.hasPrefix("Starting demo again from step 1"), "\(restarted)")
    #expect(store.progress["demo"].solved.isEmpty)
  }

  @Test("a bare lesson reopens the lesson opened last, where it was left")
  func bareLesson() async throws {
    let store = MemoryProgressStore()
    let first = try LessonFixtures.harness(store: store)
    _ = await first.execute("lesson demo-two")
    _ = await first.execute("lesson demo")
    _ = await first.execute("next")
    let second = try LessonFixtures.harness(store: store)
    let reply = await second.execute("lesson")
    #expect(reply.result == .done, "\(reply.errors)")
    #expect(reply.output.contains("Resuming at step 2"))
    #expect(second.session.prompt == "scopelab demo 2/3> ")
  }

  @Test("a bare lesson reopens a lesson file opened last")
  func bareLessonFile() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/mine.md"
    try RegularFile.replace(path, with: LessonFixtures.second)
    let store = MemoryProgressStore()
    let first = try LessonFixtures.harness(store: store)
    _ = await first.execute("lesson \(path)")
    let second = try LessonFixtures.harness(store: store)
    let reply = await second.execute("lesson")
    #expect(reply.result == .done, "\(reply.errors)")
    #expect(second.session.prompt == "scopelab demo-two 1/1> ")
    #expect(second.session.openLesson?.source.hasSuffix("mine.md") == true)
  }

  @Test("Last time: names the next step not done, or the next lesson not finished")
  func greeting() async throws {
    let store = MemoryProgressStore()
    let harness = try LessonFixtures.harness(store: store)
    func greeting() throws -> String? {
      try LessonFixtures.harness(store: store).session.lessonGreeting
    }
    #expect(try greeting() == nil, "no lesson opened yet")
    _ = await harness.execute("lesson demo")
    _ = await harness.execute("step 3")
    _ = await harness.execute("next")  // step 3 is done: the lesson is not (1 and 2 are open)
    #expect(
      try greeting()
        == "Last time: demo 3/3; not done yet: step 1, Predict a sleep - 'lesson' then 'step 1'"
        + " goes there, 'lessons' lists them all.")
    _ = await harness.execute("step 1")
    _ = await harness.execute("predict ok")
    _ = await harness.execute("run")
    _ = await harness.execute("next")
    _ = await harness.execute("run timeout 0.05 { sleep 1 }")
    _ = await harness.execute("step 3")
    #expect(try greeting()?.hasPrefix("Last time: demo 3/3, The end") == false)
    _ = await harness.execute("next")
    #expect(
      try greeting()
        == "Last time you finished demo; next: demo-two, The second demo - 'lesson demo-two'"
        + " opens it, 'lessons' lists them all.")
    _ = await harness.execute("lesson demo-two")
    _ = await harness.execute("next")
    #expect(
      try greeting()
        == "Last time you finished demo-two: every lesson is done - 'lessons' lists them all.")
  }

  @Test("Last time: names a lesson file opened last, its path, and says when it is gone")
  func greetingForFile() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/mine.md"
    try RegularFile.replace(path, with: LessonFixtures.second)
    let store = MemoryProgressStore()
    let harness = try LessonFixtures.harness(store: store)
    func greeting() throws -> String? {
      try LessonFixtures.harness(store: store).session.lessonGreeting
    }
    _ = await harness.execute("lesson \(path)")
    let canonical = RegularFile.canonicalPath(path)
    #expect(
      try greeting()
        == "Last time: demo-two (\(canonical)) 1/1, Only step - 'lesson' goes on from there,"
        + " 'lessons' lists them all.")
    _ = await harness.execute("next")
    #expect(
      try greeting()
        == "Last time you finished demo-two (\(canonical)); next: demo, A demo lesson"
        + " - 'lesson demo' opens it, 'lessons' lists them all.")
    #expect(unlink(path) == 0)
    #expect(
      try greeting()
        == "Last time: the lesson file \(canonical), which cannot be read now - 'lessons'"
        + " lists the built-in ones.")
  }
}
