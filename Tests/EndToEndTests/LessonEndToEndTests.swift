import Glibc
import TestSupport
import Testing

/// The lessons as a learner meets them through the binary: every step of every lesson
/// stepped through from a pipe, progress kept between two sessions, a broken progress
/// file, lessons from files.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct LessonEndToEndTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  static let curriculum = [
    "runner-flag", "sleep-vs-timeout", "process-scope", "async-protocol",
    "errors-and-suppression", "cancellation", "task-groups", "your-own-timeout",
  ]

  @Test("every step of every lesson: show, run, two hints, why, next - no error")
  func stepThroughEveryLesson() throws {
    let listing = try scopelab.run(["lessons"])
    #expect(listing.status == 0, "\(listing)")
    // Every lesson in its own process, all at once (they mostly sleep), each in a home
    // of its own so that their progress files do not meet.
    var runs: [(id: String, index: Int, total: Int, scopelab: Scopelab, process: PipedProcess)] = []
    for (index, id) in Self.curriculum.enumerated() {
      let line = listing.output.split(separator: "\n").first { $0.contains(" \(id) ") }
      let total = try #require(
        line.flatMap { $0.split(separator: " ").last { $0.contains("/") } }
          .flatMap { Int($0.split(separator: "/")[1]) }, "no '\(id)' with N/M in \(listing)")
      var input = "lesson \(index + 1)\n"
      for _ in 0..<total { input += "show\nrun\nhint\nhint\nwhy\nnext\n" }
      // Input from a file, not the pipe: a pipe's input is written only while waiting.
      let own = try Scopelab()
      // your-own-timeout runs Swift: swiftc where the tests' own toolchain is.
      own.extraEnvironment["PATH"] = getenv("PATH").map { String(cString: $0) }
      try own.home.write("input", input)
      let process = try PipedProcess(
        executable: "/bin/sh",
        arguments: ["-c", #"exec "$0" < "$1""#, Scopelab.path(), own.home.path + "/input"],
        environment: own.environment(), input: [])
      runs.append((id, index, total, own, process))
    }
    for run in runs {
      let termination = try run.process.finish(timeout: 120)
      let finished = Finished(
        termination: termination, output: run.process.outputText, errors: run.process.errorText)
      let (id, index, total) = (run.id, run.index, run.total)
      #expect(finished.status == 0, "\(id): \(finished.errors)")
      // Standard error holds nothing but the note that a Swift step is being compiled.
      let errors = finished.errors.split(separator: "\n").filter {
        !($0.hasPrefix("compiling ") && $0.contains(" with swiftc "))
      }
      #expect(errors.isEmpty, "\(id): \(finished.errors)")
      #expect(finished.output.contains("== \(id) \(total)/\(total): "), "\(id)")
      #expect(finished.output.contains("That was the last step: \(id) is done"), "\(id)")
      #expect(finished.output.occurrences(of: "Hint 2/") == total, "\(id)")
      #expect(finished.output.occurrences(of: "audit: ok") >= total, "\(id)")
      let next =
        index + 1 < Self.curriculum.count
        ? "type 'lesson \(Self.curriculum[index + 1])'" : "That was the last lesson."
      // Prose is fitted to 80 columns in a pipe: the words are looked for, not the breaks.
      let words = finished.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
      #expect(words.contains(next), "\(id)")
    }
  }

  @Test("progress is kept between sessions: the next day, a lesson resumes where it was left")
  func resumeTheNextDay() throws {
    let first = try scopelab.run(
      [], input: "lesson sleep-vs-timeout\npredict ok\nrun\nnext\nnext\n")
    #expect(first.status == 0, "\(first)")
    #expect(first.output.contains("exercise solved"), "\(first)")
    let listing = try scopelab.run(["lessons"])
    #expect(listing.output.contains(" sleep-vs-timeout "), "\(listing)")
    #expect(
      listing.output.split(separator: "\n").contains {
        $0.contains("sleep-vs-timeout") && $0.hasSuffix("1/6")
      }, "\(listing)")
    let second = try scopelab.run(["--lesson", "sleep-vs-timeout"], input: "where\n")
    #expect(second.status == 0, "\(second)")
    #expect(second.output.contains("Resuming at step 3"), "\(second)")
    #expect(
      second.output.contains("sleep-vs-timeout 3/6: Catching the timeout (1/6 done)"), "\(second)")
    let progress = try String(
      decoding: TextFileBytes.read(scopelab.home.path + "/state/scopelab/progress.json"),
      as: UTF8.self)
    #expect(progress.contains(#""current": "sleep-vs-timeout""#), "\(progress)")
  }

  @Test("a corrupt progress file: one warning, kept aside, and the session starts fresh")
  func corruptProgress() throws {
    let directory = scopelab.home.path + "/state/scopelab"
    #expect(
      system(
        "mkdir -p '\(directory)' && printf '{\"version\": 1, \"lessons\": [' > '\(directory)/progress.json'"
      ) == 0)
    let finished = try scopelab.run([], input: "lessons\n")
    #expect(finished.status == 0, "\(finished)")
    let warnings = finished.errors.split(separator: "\n")
    #expect(warnings.count == 1, "\(finished)")
    #expect(warnings.first?.hasPrefix("warning: the progress file ") == true, "\(finished)")
    #expect(finished.errors.contains("kept as \(directory)/progress.json.bad, starting fresh"))
    #expect(access(directory + "/progress.json.bad", F_OK) == 0)
    #expect(finished.output.contains("runner-flag"), "\(finished)")
    let again = try scopelab.run([], input: "lessons\n")
    #expect(again.errors.isEmpty, "the fresh file is fine: \(again)")
  }

  @Test("--lesson with a lesson that does not exist is invalid input in a pipe")
  func missingLesson() throws {
    let finished = try scopelab.run(["--lesson", "sleep-vs-timout"], input: "where\n")
    #expect(finished.status == 2, "\(finished)")
    #expect(
      finished.errors.contains(
        "error: no lesson 'sleep-vs-timout' - did you mean 'sleep-vs-timeout'?"))
  }

  @Test("a built-in lesson file replays with --check and no --trust: the binary trusts its own")
  func builtInLessonIsTrusted() throws {
    var path = #filePath
    for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }
    let lesson = path + "/Lessons/process-scope.md"
    let finished = try scopelab.run(["replay", "--check", "--slack", "3", lesson], timeout: 60)
    #expect(finished.status == 0, "\(finished)")
    #expect(finished.output.contains("ok \(lesson) ("), "\(finished)")
    // A copy that differs by one byte is someone else's file: asked about, refused here.
    let copy = scopelab.home.path + "/process-scope.md"
    #expect(system("cp '\(lesson)' '\(copy)' && echo >> '\(copy)'") == 0)
    let refused = try scopelab.run(["replay", "--check", copy])
    #expect(refused.status == 2, "\(refused)")
    #expect(refused.errors.contains("replay it with --trust"), "\(refused)")
  }

  @Test("--lesson FILE.md opens a lesson file of one's own; a malformed one is exit 2 in a pipe")
  func lessonFromFile() throws {
    try scopelab.home.write(
      "mine.md",
      "---\nid: mine\ntitle: Mine\n---\n\n## One\n\n```scope\nprint hello\n```\n")
    let finished = try scopelab.run(
      ["--lesson", scopelab.home.path + "/mine.md"], input: "where\nrun\n")
    #expect(finished.status == 0, "\(finished)")
    #expect(finished.output.contains("mine 1/1: One (0/1 done)"), "\(finished)")
    #expect(finished.output.contains("  hello\n"), "\(finished)")
    try scopelab.home.write(
      "bad.md", "---\nid: bad\ntitle: Bad\n---\n\n## One\n\n```scope\nsleep\n```\n")
    let bad = try scopelab.run(
      ["--lesson", scopelab.home.path + "/bad.md"], input: "run print after\n")
    #expect(bad.status == 2, "\(bad)")
    #expect(bad.errors.contains("bad.md:9: the program does not run"), "\(bad)")
    #expect(bad.output.contains("  after\n"), "the session goes on: \(bad)")
  }

  @Test("--lesson opens a file whose name has a space; history lists only what was typed")
  func lessonOptionIsNotATypedCommand() throws {
    try scopelab.home.write(
      "my lesson.md", "---\nid: spaced\ntitle: Spaced\n---\n\n## One\n\n```scope\nprint hi\n```\n")
    let finished = try scopelab.run(
      ["--lesson", scopelab.home.path + "/my lesson.md"], input: "where\nhistory\n")
    #expect(finished.status == 0, "\(finished)")
    #expect(finished.output.contains("spaced 1/1: One (0/1 done)"), "\(finished)")
    #expect(finished.output.contains("   1  where\n   2  history\n"), "\(finished)")
    #expect(!finished.output.contains("lesson /"), "\(finished)")
  }

  @Test("edit with no terminal is one clear error")
  func editWithoutTerminal() throws {
    let finished = try scopelab.run([], input: "lesson 1\nedit\n")
    #expect(finished.status == 2, "\(finished)")
    #expect(finished.errors.contains("error: edit needs a terminal"), "\(finished)")
  }
}

/// Reading a file for a check, without Foundation.
enum TextFileBytes {
  static func read(_ path: String) throws -> [UInt8] {
    guard let file = fopen(path, "rb") else {
      throw PseudoTerminal.Failure(description: "cannot open \(path)")
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = fread(&buffer, 1, buffer.count, file)
      if count <= 0 { return bytes }
      bytes += buffer[0..<count]
    }
  }
}

extension String {
  /// How many times `needle` occurs, not overlapping.
  fileprivate func occurrences(of needle: String) -> Int {
    var count = 0
    var rest = Substring(self)
    while let index = rest.firstRange(of: needle) {
      count += 1
      rest = rest[index.upperBound...]
    }
    return count
  }
}
