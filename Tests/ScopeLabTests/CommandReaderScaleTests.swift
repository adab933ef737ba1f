import LineEditor
import PosixThread
import Testing

@testable import ScopeLab

/// The REPL's continuation input costs what its lines cost: the scanner keeps its state
/// from line to line, and a command is never rescanned or copied per line. A command past
/// ``CommandReader/maximumCommandBytes`` is rejected as it grows, once, and its rest
/// skipped. Time bounds are on the CPU time the process spends (the runs are serial, so it
/// is this test's: a busy machine does not stretch it), and generous: only a quadratic
/// reader comes near them.
@Suite("Command reader: incremental, bounded", .timeLimit(.minutes(3)))
struct CommandReaderScaleTests {
  /// Commands of several lines, and their prefixes: the scanner must answer the same
  /// whether it reads them a line at a time or in one piece.
  static let commands = [
    "timeout 1 {\n  sleep 0.1\n}", "try {\n  throw KeyError\n}\ncatch KeyError {\n  print x\n}",
    "scope A(\n  suppress,\n  slow-exit=1\n) {\n}", "print 'a\nb {\n'", "print \"a\\\nb\"",
    "print a \\\n  b", "timeout 1 { # {\n  print \"}\" }", "group {\n  task { sleep 1 },\n}",
    "scope\nA(", "run timeout 1 {\n\n  # c\n  print ${sleep}\n}", "print \"x\n", "}\n{\n",
  ]

  private func scanned(_ lines: [String]) -> ContinuationScanner {
    var scanner = ContinuationScanner()
    for (offset, line) in lines.enumerated() { scanner.scan(line, lineNumber: 1 + offset) }
    return scanner
  }

  @Test("line by line or in one piece, the scanner gives the same answers")
  func incrementalIsTheSame() {
    for command in Self.commands {
      let lines = command.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      for end in 1...lines.count {
        let prefix = Array(lines[..<end])
        let stepwise = scanned(prefix)
        var whole = ContinuationScanner()
        whole.scan(prefix.joined(separator: "\n"), lineNumber: 1)
        #expect(stepwise.open == whole.open, "\(prefix)")
        #expect(stepwise.continuation == whole.continuation, "\(prefix)")
        #expect(stepwise.oneLine == whole.oneLine, "\(prefix)")
        #expect(stepwise.unfinished == whole.unfinished, "\(prefix)")
      }
    }
  }

  @Test("a long word is not kept whole, and 'scope NAME(' is still told from other words")
  func longWords() {
    let long = String(repeating: "x", count: 5_000)
    #expect(scanned(["scope \(long)("]).open.map(\.kind) == [.parenthesis])
    #expect(scanned(["scope\(long) A("]).open.isEmpty)
    #expect(scanned(["\(long)scope A("]).open.isEmpty)
    #expect(scanned(["scopes A("]).open.isEmpty)
    // The one-line form still holds every character.
    #expect(scanned(["print \(long)"]).oneLine == "print \(long)")
  }

  @Test("a dropped command's one-line form is forgotten; where it ends is still known")
  func droppingTheOneLineForm() {
    var scanner = scanned(["timeout 1 {", "print a"])
    scanner.dropOneLine()
    scanner.scan("print b", lineNumber: 3)
    #expect(scanner.oneLine.isEmpty)
    #expect(!scanner.isComplete)
    scanner.scan("}", lineNumber: 4)
    #expect(scanner.isComplete)
  }

  // MARK: - Scale

  private static let completion = SessionCompletion(parameterNames: Parameters.builtIn.order)

  /// Reads every command of `lines` (as a pipe would give them); with the CPU time it took.
  private func readAll(_ lines: [String]) async -> ([CommandReader.Input], Duration) {
    var reader = CommandReader(reader: ScriptedLineReader(lines), showsPrompt: false)
    var inputs: [CommandReader.Input] = []
    let start = Syscall.processCPUTime()
    while true {
      let input = await reader.next(prompt: "> ", completion: Self.completion)
      if case .ended = input {
        inputs.append(input)
        break
      }
      inputs.append(input)
    }
    return (inputs, Syscall.processCPUTime() - start)
  }

  @Test("50 000 continuation lines (and more) are read in seconds, not minutes")
  func manyContinuationLines() async {
    let count = 50_000
    let quoted = ["print \""] + Array(repeating: "ab", count: count) + ["\""]
    // A program read to its end, and one that waits for a catch over comment lines (each
    // of which would parse it again, were comments not skipped): quadratic, either takes
    // minutes at a third of the former count (100 000), so half a minute or more at a
    // third of this one.
    let block = ["run timeout 1 {"] + Array(repeating: "  busy 0", count: count / 3) + ["}"]
    let comments =
      ["run try { sleep 0 }"] + Array(repeating: "# more", count: count / 3) + ["catch { }"]
    let (inputs, elapsed) = await readAll(quoted + block + comments + ["print last"])
    // Linear: about half a second of CPU in a debug build; quadratic: half a minute.
    #expect(elapsed < .seconds(10), "\(elapsed) of CPU time")
    #expect(inputs.count == 5, "\(inputs.count) inputs")
    guard inputs.count == 5 else { return }
    guard case .command(let text, _) = inputs[0] else {
      Issue.record("not a command: \(inputs[0])")
      return
    }
    #expect(text.utf8.count == "print \"\n".utf8.count + count * "ab\n".utf8.count + 1)
    if case .command(let text, _) = inputs[1] {
      #expect(text.hasPrefix("run timeout 1 {\n  busy 0") && text.hasSuffix("busy 0\n}"))
    } else {
      Issue.record("not a command: \(inputs[1])")
    }
    if case .command(let text, _) = inputs[2] {
      #expect(text.hasPrefix("run try { sleep 0 }\n# more") && text.hasSuffix("\ncatch { }"))
    } else {
      Issue.record("not a command: \(inputs[2])")
    }
    #expect(inputs[3] == .command("print last", historyEntry: nil))
    #expect(inputs[4] == .ended(unfinished: nil))
  }

  @Test("a command past 1 MB is one error as it grows; its rest is skipped, then reading goes on")
  func sizeLimitAsTheInputGrows() async {
    let line = "  print " + String(repeating: "x", count: 992)  // 1000 bytes
    let body = Array(repeating: line, count: 1_500)  // 1.5 MB
    let lines = ["print first", "run timeout 1 {"] + body + ["}", "print after"]
    let (inputs, _) = await readAll(lines)
    #expect(inputs.count == 4, "\(inputs)")
    guard inputs.count == 4 else { return }
    #expect(inputs[0] == .command("print first", historyEntry: nil))
    // It is refused at the line that passes the limit, not at the end of the command.
    let limit = CommandReader.maximumCommandBytes
    let passing = 2 + (limit - "run timeout 1 {".utf8.count) / (line.utf8.count + 1) + 1
    #expect(
      inputs[1]
        == .invalid(
          "the command at lines 2-\(passing) is longer than \(limit) bytes: it is dropped, "
            + "and the rest of it skipped"))
    #expect(inputs[2] == .command("print after", historyEntry: nil))
    #expect(inputs[3] == .ended(unfinished: nil))
  }

  @Test("in the REPL, a command past the limit is one line of error and status 2; the rest runs")
  func sizeLimitInTheLoop() async {
    let line = "  print " + String(repeating: "x", count: 992)
    let lines = ["run timeout 1 {"] + Array(repeating: line, count: 1_200) + ["}", "print after"]
    let harness = SessionHarness()
    let reader = ScriptedLineReader(lines)
    let status = await ReplLoop(session: harness.session, reader: reader, showsPrompt: false)
      .run()
    #expect(status == 2)
    let errors = harness.errors.text.split(separator: "\n")
    #expect(errors.count == 1, "\(errors)")
    #expect(errors.first?.hasPrefix("error: the command at lines 1-") == true, "\(errors)")
    #expect(harness.output.text.contains("after\n"))
    #expect(!harness.output.text.contains("xxxx"), "nothing of the dropped command ran")
  }

  @Test("input that ends while a dropped command is skipped ends quietly")
  func endingWhileSkipping() async {
    let line = "x" + String(repeating: "y", count: 999)
    let lines = ["print \"" + line] + Array(repeating: line, count: 1_100)
    let (inputs, _) = await readAll(lines)
    #expect(inputs.count == 2, "\(inputs)")
    if case .invalid(let message) = inputs.first {
      #expect(message.hasPrefix("the command at lines 1-"), "\(message)")
    } else {
      Issue.record("not refused: \(inputs)")
    }
    #expect(inputs.last == .ended(unfinished: nil))
  }

  @Test("a one-line command past the limit is refused, with nothing to skip")
  func oneLongLine() async {
    let long = "print " + String(repeating: "x", count: CommandReader.maximumCommandBytes)
    let (inputs, _) = await readAll([long, "print after"])
    #expect(
      inputs == [
        .invalid(
          "the command at line 1 is longer than \(CommandReader.maximumCommandBytes) bytes: "
            + "it is dropped"),
        .command("print after", historyEntry: nil), .ended(unfinished: nil),
      ])
  }
}
