import AsyncScope
import Glibc
import LineEditor
import TestSupport
import Testing

@testable import ScopeLab

@Suite("Progress file")
struct ProgressFileTests {
  static func sample() -> LessonProgress {
    var progress = LessonProgress()
    progress.current = "sleep-vs-timeout"
    progress["sleep-vs-timeout"].step = "s3"
    progress["sleep-vs-timeout"].completed = ["s1", "s2"]
    progress["sleep-vs-timeout"].solved = ["s1"]
    progress["runner-flag"].step = "s1"
    return progress
  }

  @Test("progress is written as JSON and read back the same; the directory is made as needed")
  func roundTrip() throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-progress")
    let path = directory.path + "/state/scopelab/progress.json"
    let file = ProgressFile(path: path)
    #expect(file.load().0 == LessonProgress(), "no file: fresh, no warning")
    #expect(file.load().warning == nil)
    #expect(file.save(Self.sample()) == nil)
    let (loaded, warning) = ProgressFile(path: path).load()
    #expect(warning == nil)
    #expect(loaded == Self.sample())
    let text = String(
      decoding: try RegularFile.read(path, limit: RegularFile.textLimit), as: UTF8.self)
    #expect(text.contains(#""step": "s3""#), "\(text)")
    #expect(text.contains(#""version": 2"#))
    // Written by rename: no temporary file is left beside it (only the lock file).
    #expect(
      system(
        "test \"$(ls -A '\(directory.path)/state/scopelab' | tr '\\n' ' ')\" "
          + "= 'progress.json progress.json.lock '") == 0)
  }

  @Test(
    "a corrupt file gives one warning, is kept aside as .bad, and the session starts fresh",
    arguments: [
      "{", "[]", #"{"version": 3, "lessons": {}}"#, #"{"version": 1}"#,
      #"{"version": 2, "lessons": {"a": {"solved": [1]}}}"#,
      #"{"version": 1, "lessons": {"a": {"step": 0}}}"#,
      #"{"version": 1, "lessons": {"a": {"step": 1, "solved": ["x"]}}}"#, "\u{FF}",
    ])
  func corrupt(_ content: String) throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-progress")
    let path = directory.path + "/progress.json"
    try directory.write("progress.json", content)
    let file = ProgressFile(path: path)
    let (progress, warning) = file.load()
    #expect(progress == LessonProgress())
    let message = try #require(warning)
    #expect(message.hasPrefix("warning: the progress file \(path) "))
    #expect(message.hasSuffix("kept as \(path).bad, starting fresh"), "\(message)")
    #expect(!message.contains("\n"))
    #expect(
      String(
        decoding: try RegularFile.read(path + ".bad", limit: RegularFile.textLimit), as: UTF8.self)
        == content)
    #expect(file.save(Self.sample()) == nil)
    #expect(ProgressFile(path: path).load().0 == Self.sample())
  }

  @Test("a second corrupt file keeps the first .bad copy: it is kept as .bad-2, and named")
  func secondCorruptFileKeepsTheFirst() throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-progress")
    let path = directory.path + "/progress.json"
    try directory.write("progress.json", "first")
    let first = try #require(ProgressFile(path: path).load().warning)
    #expect(first.hasSuffix("kept as \(path).bad, starting fresh"), "\(first)")
    try directory.write("progress.json", "second")
    let second = try #require(ProgressFile(path: path).load().warning)
    #expect(second.hasSuffix("kept as \(path).bad-2, starting fresh"), "\(second)")
    try directory.write("progress.json", "third")
    let third = try #require(ProgressFile(path: path).load().warning)
    #expect(third.hasSuffix("kept as \(path).bad-3, starting fresh"), "\(third)")
    #expect(directory.read("progress.json.bad") == "first")
    #expect(directory.read("progress.json.bad-2") == "second")
    #expect(directory.read("progress.json.bad-3") == "third")
    #expect(directory.read("progress.json") == nil)
  }

  @Test("two sessions saving at once keep both lessons' progress")
  func twoSessionsKeepBothLessons() throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-progress")
    let path = directory.path + "/progress.json"
    var before = LessonProgress()
    before["cancellation"].step = "s2"
    before["cancellation"].completed = ["s1"]
    #expect(ProgressFile(path: path).save(before) == nil)
    // Both sessions start from the same file.
    let one = ProgressFile(path: path)
    let two = ProgressFile(path: path)
    var first = one.load().0
    var second = two.load().0
    // The first works on sleep-vs-timeout, the second goes on in cancellation.
    first.current = "sleep-vs-timeout"
    first["sleep-vs-timeout"].step = "s3"
    first["sleep-vs-timeout"].completed = ["s1", "s2"]
    first["sleep-vs-timeout"].solved = ["s2"]
    #expect(one.save(first) == nil)
    second.current = "cancellation"
    second["cancellation"].step = "s4"
    second["cancellation"].completed = ["s1", "s2", "s3"]
    second["cancellation"].solved = ["s3"]
    #expect(two.save(second) == nil)
    // The first session saves again (it went back a step): the second's lesson stays.
    first["sleep-vs-timeout"].step = "s2"
    #expect(one.save(first) == nil)
    let (onDisk, warning) = ProgressFile(path: path).load()
    #expect(warning == nil)
    var expected = LessonProgress()
    expected.current = "cancellation"
    expected["sleep-vs-timeout"].step = "s2"
    expected["sleep-vs-timeout"].completed = ["s1", "s2"]
    expected["sleep-vs-timeout"].solved = ["s2"]
    expected["cancellation"].step = "s4"
    expected["cancellation"].completed = ["s1", "s2", "s3"]
    expected["cancellation"].solved = ["s3"]
    #expect(onDisk == expected)
  }

  @Test("both sessions in the same lesson: what either completed is kept")
  func sameLessonUnionOfCompleted() {
    var base = LessonProgress()
    base["a"].step = "s2"
    base["a"].completed = ["s1"]
    var mine = base
    mine["a"].step = "s3"
    mine["a"].completed = ["s1", "s2"]
    var theirs = base
    theirs["a"].step = "s5"
    theirs["a"].completed = ["s1", "s4"]
    theirs["a"].solved = ["s4"]
    theirs["b"].step = "s1"
    theirs.current = "b"
    let merged = mine.merged(into: theirs, since: base)
    #expect(merged["a"].step == "s3", "this session's step where it moved")
    #expect(merged["a"].completed == ["s1", "s2", "s4"])
    #expect(merged["a"].solved == ["s4"])
    #expect(merged["b"].step == "s1")
    #expect(merged.current == "b", "the lesson opened last elsewhere, this session opened none")
    // Nothing changed here since base: the disk's step stands.
    #expect(base.merged(into: theirs, since: base)["a"].step == "s5")
  }

  @Test("a FIFO at the path is one warning at once, not a hang, and nothing is saved")
  func aFIFOIsAWarning() throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-progress")
    let path = directory.path + "/progress.json"
    try OddFile.makeFIFO(path)
    let answer = OddFile.promptly(unblocking: path) { () -> [String?] in
      let file = ProgressFile(path: path)
      return [file.load().warning, file.save(Self.sample())]
    }
    let warnings = try #require(answer, "loading a FIFO did not return within 10 s")
    #expect(
      warnings[0]
        == "warning: the progress file \(path) is a named pipe (FIFO), not a progress file: "
        + "starting fresh, and progress will not be saved")
    #expect(warnings[1] == nil, "said once")
    var info = stat()
    #expect(lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "left where it is")
  }

  @Test("a symbolic link at the path is read but never written through")
  func aLinkIsNotWrittenThrough() throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-progress")
    let path = directory.path + "/progress.json"
    try directory.write("elsewhere.json", Self.sample().json)
    try OddFile.link(path, to: directory.path + "/elsewhere.json")
    let file = ProgressFile(path: path)
    #expect(file.load().0 == Self.sample())
    let warning = try #require(file.save(LessonProgress()))
    #expect(warning.contains("is a symbolic link: not replaced"), "\(warning)")
    #expect(directory.read("elsewhere.json") == Self.sample().json)
  }

  @Test("a directory that cannot be made is one warning, once")
  func unwritable() throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-progress")
    try directory.write("file", "")
    let file = ProgressFile(path: directory.path + "/file/scopelab/progress.json")
    let first = try #require(file.save(Self.sample()))
    #expect(first.hasPrefix("warning: progress not saved: cannot create"))
    #expect(file.save(Self.sample()) == nil, "said once")
  }

  @Test("the file is $XDG_STATE_HOME/scopelab/progress.json, or under ~/.local/state")
  func standardPath() {
    #expect(
      ProgressFile.standardPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"])
        == "/s/scopelab/progress.json")
    #expect(
      ProgressFile.standardPath(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"])
        == "/h/.local/state/scopelab/progress.json")
    #expect(ProgressFile.standardPath(environment: [:]) == nil)
  }
}
