import Foundation
import TestSupport
import Testing

@testable import ScopeLab

/// Random arrangements of lessons and transcripts: the consent analysis lists everything a
/// replay then tries to start (the session never has to refuse what the person agreed to),
/// and a session given no consent starts no process at all. Seeds are fixed, so a failure
/// reproduces.
@Suite(.serialized) struct ConsentFuzzTests {
  let directory: TemporaryDirectory

  init() throws {
    directory = try TemporaryDirectory(prefix: "scopelab-consent")
    // Two lessons whose steps mix quiet programs with ones that start a process; the
    // second shares the first's id, so `lesson first` could mean either.
    try directory.write(
      "a.md", Self.lesson(id: "first", programs: ["print a1", "process true { wait }", "print a3"]))
    try directory.write(
      "b.md",
      Self.lesson(
        id: "second",
        programs: ["process echo b1 { wait }", "print b2", "runner {\n  process true { wait }\n}"]))
    try directory.write(
      "nested.md",
      "```scopelab\nscopelab> lesson \(directory.path)/b.md\n...\nscopelab> run\n...\n```\n")
  }

  static func lesson(id: String, programs: [String]) -> String {
    var text = "---\nid: \(id)\ntitle: Lesson \(id)\n---\n"
    for (index, program) in programs.enumerated() {
      text += "\n## Step \(index + 1)\n\n```scope\n\(program)\n```\n"
    }
    return text
  }

  /// The commands a transcript is made of. No `compare` (it would run python3 each time):
  /// its analysis is the same as a bare `run`'s, over more programs.
  var vocabulary: [String] {
    [
      "lesson \(directory.path)/a.md", "lesson \(directory.path)/b.md", "lesson first",
      "lesson second", "next", "back", "step 1", "step 2", "step 3", "restart", "run", "run",
      "run print x", "process true { wait }", "run timeout 1 { process true { wait } }",
      "set sleep 2", "replay \(directory.path)/nested.md", "  run", "where",
    ]
  }

  /// A transcript of `count` random commands, sometimes opening a lesson in its front
  /// matter.
  func transcript(_ random: inout SeededRandom, count: Int) -> String {
    var text = ""
    if Bool.random(using: &random) {
      let lesson = ["a.md", "b.md"][Int.random(in: 0...1, using: &random)]
      text += "---\nscopelab: transcript\nlesson: \(directory.path)/\(lesson)\n---\n"
    }
    text += "```scopelab\n"
    for _ in 0..<count {
      text += "scopelab> \(vocabulary[Int.random(in: 0..<vocabulary.count, using: &random)])\n"
      text += "...\n"
    }
    return text + "```\n"
  }

  /// With no consent nothing runs, and whatever the session refused was in the list: the
  /// analysis missed nothing. Fast, as nothing starts.
  @Test func everythingRefusedWasListed() async throws {
    var random = SeededRandom(seed: 15)
    var refused = 0
    for round in 0..<300 {
      let text = transcript(&random, count: Int.random(in: 1...10, using: &random))
      let document = try TranscriptDocument(parsing: text, name: "fuzz-\(round).md")
      let concerns = TranscriptTrust.concerns(in: document)
      let outcome = try await TranscriptCheck().run(document, consent: .nothing)
      let printed = outcome.commands.flatMap(\.actual)
      #expect(!printed.contains { $0.contains("started pid") }, "round \(round)\n\(text)")
      for line in printed where line.contains("not run:") {
        refused += 1
        let listed = concerns.contains { concern in
          concern.item.program.map { line.contains("(\($0.oneLine))") }
            ?? line.contains(concern.item.effect)
        }
        #expect(listed, "round \(round): not in the list: \(line)\n\(text)\n\(concerns)")
      }
    }
    #expect(refused > 50)
  }

  /// With the list agreed to, the replay runs without the session refusing anything.
  @Test func whatWasListedRuns() async throws {
    var random = SeededRandom(seed: 16)
    var started = 0
    for round in 0..<10 {
      let text = transcript(&random, count: Int.random(in: 1...8, using: &random))
      let document = try TranscriptDocument(parsing: text, name: "fuzz-\(round).md")
      let consent = Consent(TranscriptTrust.concerns(in: document).map(\.item))
      let outcome = try await TranscriptCheck().run(document, consent: consent)
      let printed = outcome.commands.flatMap(\.actual)
      #expect(
        !printed.contains { $0.contains("not run:") || $0.contains("not replayed") },
        "round \(round): refused what was agreed\n\(text)\n\(printed.joined(separator: "\n"))")
      started += printed.count { $0.contains("started pid") }
    }
    // The arrangements did start processes: the check above was not vacuous.
    #expect(started > 3)
  }
}
