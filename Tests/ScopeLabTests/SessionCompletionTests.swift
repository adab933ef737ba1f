import Foundation
import LineEditor
import Testing

@testable import ScopeLab

@Suite("Session completion")
struct SessionCompletionTests {
  static let completion = SessionCompletion(
    parameterNames: Parameters.builtIn.order, lessonIDs: ["runner-flag", "sleep-vs-timeout"])

  private func complete(_ text: String, with completion: SessionCompletion = completion)
    -> [String]
  {
    completion.candidates(for: CompletionRequest(textBeforeCursor: text))
  }

  // MARK: - Commands and their arguments

  @Test("commands and statements at the start of the line")
  func commands() {
    let statements = SessionCompletion.programKeywords.filter { $0 != "wait" && $0 != "reschedule" }
    #expect(complete("") == (CommandSpec.names + statements).sorted())
    #expect(
      complete("r") == ["record", "replay", "reset", "restart", "return", "rules", "run", "runner"])
    #expect(complete("ti") == ["timeline", "timeout"])
    #expect(complete("  he") == ["help"])
    #expect(complete("wa").isEmpty, "wait only works inside a process block")
    #expect(complete("zz").isEmpty)
  }

  @Test("edit completes the languages; check its --kind and the kinds")
  func editAndCheck() {
    #expect(complete("edit ") == ["python", "swift"])
    #expect(complete("edit p") == ["python"])
    #expect(complete("edit python ").isEmpty)
    #expect(complete("check Timeout ") == ["--kind"])
    #expect(complete("check Timeout --kind ") == ["scope", "timeout"])
    #expect(complete("check Timeout --kind t") == ["timeout"])
    #expect(complete("check ").isEmpty, "the scope's name is the learner's")
  }

  @Test("parameter names after set, and nothing for the value")
  func setParameters() {
    #expect(complete("set ") == ["grace", "sleep", "timeout"])
    #expect(complete("set t") == ["timeout"])
    #expect(complete("set sleep ").isEmpty)
  }

  @Test("command names, statements, options and durations after help")
  func helpCommands() {
    #expect(complete("help ") == (CommandSpec.names + StatementHelp.topicNames).sorted())
    #expect(complete("help ru") == ["rules", "run", "runner"])
    #expect(complete("help sl") == ["sleep", "slow-enter", "slow-exit"])
    #expect(complete("help du") == ["durations"])
    #expect(complete("help run ").isEmpty)
  }

  @Test("after run: program keywords, and $parameters")
  func runProgram() {
    #expect(complete("run ") == SessionCompletion.programKeywords.sorted())
    #expect(complete("run ti") == ["timeout"])
    #expect(complete("run timeout $") == ["$grace", "$sleep", "$timeout"])
    #expect(complete("run timeout $t") == ["$timeout"])
    #expect(complete("run timeout 2 { sl") == ["sleep"])
    #expect(complete("run timeout 2 { sleep $s") == ["$sleep"])
  }

  @Test("a line that begins with a statement completes as a program")
  func bareStatements() {
    #expect(complete("timeout 1 { sl") == ["sleep"])
    #expect(complete("timeout 1 {sl") == ["{sleep"])
    #expect(complete("timeout 1 { print a; ti") == ["timeout"])
    #expect(complete("timeout 1 { print a;ti") == ["a;timeout"])
    #expect(complete("runner { sleep $") == ["$grace", "$sleep", "$timeout"])
    #expect(complete("print $sl") == ["$sleep"])
    #expect(complete("timeout 1, r") == ["runner"])
    #expect(complete("try { sleep 1 } ca") == ["catch"])
    #expect(complete("try { sleep 1 } ") == ["catch"])
    #expect(complete("print ").isEmpty, "words to print are the user's own")
    #expect(complete("print hi ").isEmpty)
    #expect(complete("throw ").contains("KeyError"), "an error name after throw")
    #expect(complete("scope ").isEmpty, "a scope's name is the user's own")
    #expect(complete("print \"ti").isEmpty, "nothing inside quotes")
    #expect(complete("print 'a; ti").isEmpty)
  }

  @Test(
    "what comes before the word is read as the language reads it: quotes, escapes, comments",
    arguments: ["", "run "])
  func lexedLikeThePrograms(_ run: String) {
    // An escaped or quoted operator is text to print, not the end of the statement.
    #expect(complete(run + "print a\\; ").isEmpty, "a\\; is the word 'a;'")
    #expect(complete(run + "print a\\;ti").isEmpty)
    #expect(complete(run + "print 'x {' \"a ;\" ").isEmpty)
    #expect(complete(run + "print \"catch\" ").isEmpty, "quoted text, not the keyword")
    // A quoted argument with spaces, then a real operator: a statement starts.
    #expect(complete(run + "print \"a b\"; ti") == ["timeout"])
    #expect(complete(run + "process sh -c \"echo 1; exit 2\" { w") == ["wait"])
    // A comment runs to the end of the line: its braces open nothing.
    #expect(complete(run + "sleep 1 # then { ").isEmpty)
    // A backslash before the line break joins the lines: still the print's words.
    #expect(complete(run + "print a \\\n  ").isEmpty)
    #expect(complete(run + "print a\n  ti") == ["timeout"])
  }

  @Test("where a duration goes: no keywords, only $parameters", arguments: ["", "run "])
  func durations(_ run: String) {
    for line in [
      "timeout ", "sleep ", "busy ", "timeout 1 { reschedule ", "timeout 1 { sleep ",
      "timeout 1 { busy s",
    ] {
      #expect(complete(run + line).isEmpty, "\(run + line)")
    }
    #expect(complete(run + "timeout $") == ["$grace", "$sleep", "$timeout"])
    #expect(complete(run + "timeout 1 { reschedule $g") == ["$grace"])
    #expect(complete("set sleep ").isEmpty)
    #expect(complete("set sleep i").isEmpty)
  }

  @Test("inside scope A(: the scope options", arguments: ["", "run "])
  func scopeOptions(_ run: String) {
    #expect(
      complete(run + "scope A(")
        == ["A(fail-enter", "A(slow-enter=", "A(slow-exit=", "A(suppress", "A(throw-exit"])
    #expect(complete(run + "scope A(su") == ["A(suppress"])
    #expect(complete(run + "scope A(slow") == ["A(slow-enter=", "A(slow-exit="])
    #expect(
      complete(run + "scope A(suppress, ")
        == ["fail-enter", "slow-enter=", "slow-exit=", "suppress", "throw-exit"])
    #expect(complete(run + "scope A(suppress,th") == ["A(suppress,throw-exit"])
    #expect(complete(run + "scope A (f") == ["(fail-enter"])
    #expect(complete(run + "timeout 1 { scope B(t") == ["B(throw-exit"])
    #expect(complete(run + "scope A(slow-exit=").isEmpty, "a duration goes there")
    #expect(complete(run + "scope A(slow-exit=$t") == ["A(slow-exit=$timeout"])
    #expect(complete(run + "scope A(suppress) { sl") == ["sleep"], "the list is closed")
    #expect(complete(run + "print A(").isEmpty, "not an option list")
  }

  @Test("a continuation line completes in the light of the lines before it")
  func continuationLines() {
    let completion = Self.completion
    func complete(_ text: String, after lines: [String]) -> [String] {
      completion.candidates(for: CompletionRequest(textBeforeCursor: text), after: lines)
    }
    #expect(complete("sl", after: ["timeout 1 {"]) == ["sleep"])
    #expect(complete("  pr", after: ["timeout 1 {", "  sleep 1"]) == ["print", "process"])
    #expect(complete("sleep $t", after: ["run timeout 1 {"]) == ["$timeout"])
    #expect(complete("sleep ", after: ["timeout 1 {"]).isEmpty)
    #expect(complete("th", after: ["scope A(suppress,"]) == ["throw-exit"])
    #expect(complete("ti", after: ["print \"a"]).isEmpty, "still inside the quote")
    #expect(complete("ti", after: []) == ["timeline", "timeout"])
  }

  @Test("lesson ids after lesson; swift, python or source after show; scopes after show source")
  func lessonsAndShow() {
    #expect(complete("lesson ") == ["runner-flag", "sleep-vs-timeout"])
    #expect(complete("lesson s") == ["sleep-vs-timeout"])
    #expect(complete("show ") == ["python", "source", "swift"])
    #expect(complete("show s") == ["source", "swift"])
    #expect(complete("show swift ").isEmpty)
    #expect(complete("show source ") == ["group", "process", "runner", "scope", "timeout"])
    #expect(complete("show source ti") == ["timeout"])
    #expect(complete("show source timeout ").isEmpty)
    #expect(complete("params ").isEmpty)
  }

  @Test("outcomes after predict, in their own case; error names after catch and throw")
  func outcomesAndErrors() {
    #expect(complete("predict T") == ["TimeoutError"])
    #expect(complete("predict K") == ["KeyError", "KeyboardInterrupt"])
    #expect(complete("predict ").contains("ok"))
    #expect(complete("predict ok ").isEmpty)
    #expect(complete("run try { throw KeyError } catch K") == ["KeyError"])
    #expect(complete("try { throw Ke") == ["KeyError"])
    #expect(complete("run throw ").contains("TimeoutError"))
    #expect(!complete("run throw ").contains("ok"), "ok is an outcome, not an error")
    #expect(complete("run sleep ").isEmpty, "a duration still gets nothing")
  }

  // MARK: - Files

  @Test("files after record and replay; stop and --force after record; options after replay FILE")
  func files() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("scopelab-completion-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("lessons"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for name in ["session.md", "sleep.md", ".hidden.md"] {
      #expect(
        FileManager.default.createFile(
          atPath: directory.appendingPathComponent(name).path, contents: Data()))
    }
    let completion = SessionCompletion(
      parameterNames: ["sleep"], files: FilePathCompletion(baseDirectory: directory.path))
    #expect(
      complete("record ", with: completion) == ["stop", "lessons/", "session.md", "sleep.md"])
    #expect(complete("record s", with: completion) == ["stop", "session.md", "sleep.md"])
    #expect(complete("record se", with: completion) == ["session.md"])
    #expect(complete("record session.md ", with: completion) == ["--force"])
    #expect(complete("record --", with: completion) == ["--force"])
    #expect(complete("record stop ", with: completion).isEmpty)
    #expect(complete("replay ", with: completion) == ["lessons/", "session.md", "sleep.md"])
    #expect(complete("replay sl", with: completion) == ["sleep.md"])
    #expect(complete("replay sleep.md --", with: completion) == ["--check", "--speed"])
    #expect(complete("replay sleep.md ", with: completion).isEmpty)
  }
}
