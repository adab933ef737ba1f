import AsyncScope
import TestSupport
import Testing

@testable import ScopeLab

/// Progress keyed by the lesson's identity and each step's stable id: a file lesson that
/// reuses an id keeps its own progress, an inserted step moves nothing, and a version 1
/// progress file still works.
@Suite(.serialized) struct StableProgressTests {
  let directory: TemporaryDirectory

  init() throws {
    directory = try TemporaryDirectory(prefix: "scopelab-stable")
  }

  /// A lesson with `id` whose steps have `titles`; each step's program prints its title's
  /// first word, and a step titled `Predict ...` asks for a prediction.
  static func lesson(id: String, titles: [String], explicitID: String? = nil) -> String {
    var text = "---\nid: \(id)\ntitle: Lesson \(id)\n---\n"
    for title in titles {
      text += "\n## \(title)\n\n```scope\nprint \(title.split(separator: " ")[0])\n```\n"
      if title.hasPrefix("Predict") {
        text += "\n```step\npredict: ok\n" + (explicitID.map { "id: \($0)\n" } ?? "") + "```\n"
      }
    }
    return text
  }

  @Test func stepIDsAreHeadingSlugsOrGivenAndAlwaysDistinct() throws {
    let lesson = try Lesson(
      parsing: Self.lesson(
        id: "x", titles: ["Make it time out!", "Predict  the END", "Make it time out"],
        explicitID: "the-end"),
      name: "x.md")
    #expect(lesson.steps.map(\.id) == ["make-it-time-out", "the-end", "make-it-time-out-2"])
    #expect(LessonParser.slug("Sleep vs. timeout: 2") == "sleep-vs-timeout-2")
    #expect(LessonParser.slug("!!!") == "step")
    #expect(throws: TranscriptError.self) {
      try Lesson(
        parsing:
          "---\nid: y\ntitle: Y\n---\n\n## A\n\n```step\nid: same\n```\n\n## B\n\n```step\nid: same\n```\n",
        name: "y.md")
    }
  }

  @Test func aFileLessonWithABuiltInIDKeepsItsOwnProgress() async throws {
    try directory.write("mine.md", Self.lesson(id: "runner-flag", titles: ["One", "Two"]))
    try directory.write("other.md", Self.lesson(id: "runner-flag", titles: ["One", "Two"]))
    let store = MemoryProgressStore()
    let harness = SessionHarness(lessons: LessonGuide(store: store))
    _ = await harness.execute("lesson \(directory.path)/mine.md")
    _ = await harness.execute("next")
    let mine = LessonGuide().key(of: try Lesson(contentsOf: directory.path + "/mine.md"))
    #expect(mine.hasPrefix("file:/") && mine.hasSuffix("/mine.md"))
    #expect(store.progress[mine].step == "two")
    #expect(store.progress[mine].completed == ["one"])
    #expect(store.progress.lessons["runner-flag"] == nil, "the built-in lesson is untouched")
    // Another file with the same id starts from its own first step.
    let other = await harness.execute("lesson \(directory.path)/other.md")
    #expect(!other.output.contains("Resuming"), "\(other.output)")
    // The built-in lesson too.
    let builtIn = await harness.execute("lesson runner-flag")
    #expect(!builtIn.output.contains("Resuming"), "\(builtIn.output)")
    // And the first file resumes where it was.
    let again = await harness.execute("lesson \(directory.path)/mine.md")
    #expect(again.output.contains("Resuming at step 2 (1 of 2 done"), "\(again.output)")
  }

  @Test func insertingAStepMovesNothing() async throws {
    let path = directory.path + "/grow.md"
    try directory.write("grow.md", Self.lesson(id: "grow", titles: ["First", "Predict a sleep"]))
    let store = MemoryProgressStore()
    let harness = SessionHarness(lessons: LessonGuide(store: store))
    _ = await harness.execute("lesson \(path)")
    _ = await harness.execute("next")
    _ = await harness.execute("predict ok")
    let solved = await harness.execute("run")
    #expect(solved.output.contains("exercise solved"), "\(solved.output)")
    // The author inserts a step before it: the solved one is now step 3.
    try directory.write(
      "grow.md", Self.lesson(id: "grow", titles: ["First", "New in between", "Predict a sleep"]))
    let later = SessionHarness(lessons: LessonGuide(store: store))
    let reopened = await later.execute("lesson \(path)")
    #expect(reopened.output.contains("Resuming at step 3 (2 of 3 done"), "\(reopened.output)")
    #expect(reopened.output.contains("then 'run'. (solved)"), "\(reopened.output)")
    let inserted = await later.execute("step 2")
    #expect(!inserted.output.contains("(solved)"))
  }

  @Test func aVersionOneProgressFileStillWorks() async throws {
    let sleepVsTimeout = try #require(LessonCatalog.builtIn.lesson("sleep-vs-timeout"))
    try directory.write("grow.md", Self.lesson(id: "grow", titles: ["First", "Second", "Third"]))
    try directory.write(
      "progress.json",
      #"{"version": 1, "current": "sleep-vs-timeout", "lessons": {"#
        + #""sleep-vs-timeout": {"step": 3, "completed": [1, 2], "solved": [1]},"#
        + #""grow": {"step": 2, "completed": [1], "solved": []}}}"#)
    let store = ProgressFile(path: directory.path + "/progress.json")
    let harness = SessionHarness(lessons: LessonGuide(store: store))
    let opened = await harness.execute("lesson sleep-vs-timeout")
    #expect(opened.output.contains("Resuming at step 3 (2 of "), "\(opened.output)")
    let grow = await harness.execute("lesson \(directory.path)/grow.md")
    #expect(grow.output.contains("Resuming at step 2 (1 of 3 done"), "\(grow.output)")
    // Saved as version 2, by step ids.
    let saved = ProgressFile(path: directory.path + "/progress.json").load().0
    #expect(saved.legacy.isEmpty)
    #expect(saved["sleep-vs-timeout"].completed == Set(sleepVsTimeout.steps[0...1].map(\.id)))
    let growKey = LessonGuide().key(of: try Lesson(contentsOf: directory.path + "/grow.md"))
    #expect(saved[growKey].step == "second")
  }
}
