import AsyncScope
import Testing

@testable import ScopeLab

/// The recorder on its own: lines written as they complete, `%` escaped, the two
/// streams in the order they were written; and the normalizer.
@Suite("Transcript recorder", .serialized)
struct TranscriptRecorderTests {
  let directory: ScratchDirectory
  let opening = "---\nscopelab: transcript\n---\n\n```scopelab\n"

  init() throws {
    directory = try ScratchDirectory()
  }

  private func recorder(_ name: String = "t.md") throws -> TranscriptRecorder {
    try TranscriptRecorder(
      creating: directory.file(name), header: TranscriptHeader(changed: []), overwrite: false)
  }

  @Test("an unfinished line waits for its line break, or for the next command")
  func partialLines() throws {
    let recorder = try recorder()
    recorder.output("abc")
    #expect(directory.read("t.md") == opening)
    recorder.output("def\nghi")
    #expect(directory.read("t.md") == opening + "abcdef\n")
    recorder.command(prompt: "scopelab> ", lines: ["reset"], wait: .zero)
    #expect(directory.read("t.md") == opening + "abcdef\nghi\nscopelab> reset\n")
    recorder.output("\n\nlast")
    #expect(recorder.finish() == 1)
    #expect(directory.read("t.md") == opening + "abcdef\nghi\nscopelab> reset\n\n\nlast\n```\n")
  }

  @Test("a line that starts with % gets another, so it is never a directive")
  func percentEscaped() throws {
    let recorder = try recorder()
    recorder.output("% wait: 9.0s\n%%x\n100%\n %\n")
    recorder.finish()
    #expect(directory.read("t.md") == opening + "%% wait: 9.0s\n%%%x\n100%\n %\n```\n")
  }

  @Test("output and errors go in, interleaved, in the order they were written")
  func streamsInterleaved() throws {
    let tap = OutputTap(output: CapturedOutput(), errors: CapturedOutput())
    tap.attach(try recorder())
    tap.output.write("one\ntw")
    tap.errors.write("error: x\n")
    tap.output.write("three\n")
    (tap.detach() as? TranscriptRecorder)?.finish()
    tap.output.write("not recorded\n")
    #expect(directory.read("t.md") == opening + "one\ntwerror: x\nthree\n```\n")
    #expect((tap.plainOutput as? CapturedOutput)?.text == "one\ntwthree\nnot recorded\n")
  }

  @Test("a command of several lines, behind the prompt and then ...> ; a wait before it")
  func commandLines() throws {
    let recorder = try recorder()
    recorder.command(
      prompt: "scopelab demo 2/5> ", lines: ["timeout 1 {", "  print hi", "}"],
      wait: .milliseconds(2_049))
    recorder.finish()
    recorder.output("after the end\n")
    recorder.command(prompt: "scopelab> ", lines: ["reset"], wait: .zero)
    #expect(recorder.finish() == 1)
    let expected = "% wait: 2.0s\nscopelab demo 2/5> timeout 1 {\n...>   print hi\n...> }\n```\n"
    #expect(directory.read("t.md") == opening + expected)
  }

  @Test(
    "% wait only for more than a second, in tenths",
    arguments: [
      (Duration.zero, nil), (.seconds(1), nil), (.milliseconds(1_001), "% wait: 1.0s"),
      (.milliseconds(1_250), "% wait: 1.3s"), (.milliseconds(1_240), "% wait: 1.2s"),
      (.seconds(62), "% wait: 62.0s"),
    ] as [(Duration, String?)])
  func waitLine(_ wait: Duration, _ expected: String?) {
    #expect(TranscriptRecorder.waitLine(wait) == expected)
  }

  @Test("an existing file is not opened without overwrite: O_EXCL")
  func exclusive() throws {
    directory.write("t.md", "old\n")
    #expect {
      try recorder()
    } throws: { error in
      let refused = error as? OutputFileError
      return refused?.path == directory.file("t.md") && refused?.exists == true
    }
    #expect(directory.read("t.md") == "old\n")
  }

  // MARK: - The normalizer

  @Test(
    "normalized: escape sequences removed, process ids masked, the rest as it was",
    arguments: [
      (
        "\u{1B}[2m  0.001s\u{1B}[0m  \u{1B}[36menter timeout#1\u{1B}[0m",
        "  0.001s  enter timeout#1"
      ),
      ("  0.004s    started pid 12345: sleep 10", "  0.004s    started pid [PID]: sleep 10"),
      ("\u{1B}[33msignal SIGTERM to pid 77\u{1B}[0m", "signal SIGTERM to pid [PID]"),
      ("status pid 5 exited(3)", "status pid [PID] exited(3)"),
      ("reaped pid 424242", "reaped pid [PID]"),
      ("pid 1 and pid 2", "pid [PID] and pid [PID]"),
      (
        "rapid 3, pidgin 4, stupid 5, pid x, pid 12ab, pid",
        "rapid 3, pidgin 4, stupid 5, pid x, pid 12ab, pid"
      ),
      ("a\u{1B}[1;31mb\u{1B}[Kc", "abc"),
      ("\u{1B}]0;a title\u{07}text", "text"),
      ("\u{1B}]8;;http://x\u{1B}\\link", "link"),
      ("x\u{1B}", "x"),
      ("héllo wörld ✓", "héllo wörld ✓"),
    ])
  func normalize(_ line: String, _ expected: String) {
    #expect(OutputNormalizer().normalize(line) == expected)
  }
}
