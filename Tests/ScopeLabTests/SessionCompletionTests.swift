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

  @Test("commands at the start of the line")
  func commands() {
    #expect(complete("") == CommandSpec.names.sorted())
    #expect(complete("r") == ["record", "replay", "reset", "restart", "run"])
    #expect(complete("ti") == ["timeline"])
    #expect(complete("  he") == ["help"])
    #expect(complete("zz").isEmpty)
  }

  @Test("parameter names after set, and nothing for the value")
  func setParameters() {
    #expect(complete("set ") == ["grace", "sleep", "timeout"])
    #expect(complete("set t") == ["timeout"])
    #expect(complete("set sleep ").isEmpty)
  }

  @Test("command names after help")
  func helpCommands() {
    #expect(complete("help ") == CommandSpec.names.sorted())
    #expect(complete("help ru") == ["run"])
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

  @Test("lesson ids after lesson; swift or python after show")
  func lessonsAndShow() {
    #expect(complete("lesson ") == ["runner-flag", "sleep-vs-timeout"])
    #expect(complete("lesson s") == ["sleep-vs-timeout"])
    #expect(complete("show ") == ["python", "swift"])
    #expect(complete("show s") == ["swift"])
    #expect(complete("show swift ").isEmpty)
    #expect(complete("params ").isEmpty)
  }

  // MARK: - Files

  @Test("files after record and replay; stop after record; options after replay FILE")
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
    #expect(complete("replay ", with: completion) == ["lessons/", "session.md", "sleep.md"])
    #expect(complete("replay sl", with: completion) == ["sleep.md"])
    #expect(complete("replay sleep.md --", with: completion) == ["--check", "--speed"])
    #expect(complete("replay sleep.md ", with: completion).isEmpty)
  }
}
