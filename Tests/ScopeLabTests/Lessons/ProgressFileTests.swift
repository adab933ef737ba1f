import AsyncScope
import Glibc
import TestSupport
import Testing

@testable import ScopeLab

@Suite("Progress file")
struct ProgressFileTests {
  static func sample() -> LessonProgress {
    var progress = LessonProgress()
    progress.current = "sleep-vs-timeout"
    progress["sleep-vs-timeout"].step = 3
    progress["sleep-vs-timeout"].completed = [1, 2]
    progress["sleep-vs-timeout"].solved = [1]
    progress["runner-flag"].step = 1
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
    let text = String(decoding: try TextFile.read(path), as: UTF8.self)
    #expect(text.contains(#""completed": [1, 2]"#), "\(text)")
    #expect(text.contains(#""version": 1"#))
    // Written by rename: no temporary file is left beside it.
    #expect(system("test $(ls -A '\(directory.path)/state/scopelab' | wc -l) -eq 1") == 0)
  }

  @Test(
    "a corrupt file gives one warning, is kept aside as .bad, and the session starts fresh",
    arguments: [
      "{", "[]", #"{"version": 2, "lessons": {}}"#, #"{"version": 1}"#,
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
    #expect(String(decoding: try TextFile.read(path + ".bad"), as: UTF8.self) == content)
    #expect(file.save(Self.sample()) == nil)
    #expect(ProgressFile(path: path).load().0 == Self.sample())
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
