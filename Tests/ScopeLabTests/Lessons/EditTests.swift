import AsyncScope
import Glibc
import LineEditor
import TestSupport
import Testing

@testable import ScopeLab

@Suite("edit", .serialized)
struct EditTests {
  /// A session whose `edit` runs `script` (a shell script given the file's path as $1).
  static func harness(editor script: String, in directory: TemporaryDirectory) throws
    -> SessionHarness
  {
    let editor = directory.path + "/editor"
    try directory.write("editor", "#!/bin/sh\n" + script + "\n")
    #expect(chmod(editor, 0o755) == 0)
    let harness = try LessonFixtures.harness()
    harness.session.editorHasTerminal = { true }
    harness.session.environment = { $0 == "EDITOR" ? editor : nil }
    return harness
  }

  @Test("the edited program is shown, checked, and is what run runs until the step changes")
  func edited() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-edit")
    let seen = directory.path + "/seen"
    let harness = try Self.harness(
      editor: "cp \"$1\" '\(seen)'; printf 'timeout 0.05 { sleep 1 }\\n' > \"$1\"", in: directory)
    _ = await harness.execute("lesson demo")
    let reply = await harness.execute("edit")
    #expect(reply.result == .done, "\(reply.errors)")
    #expect(reply.output == "The program 'run' runs now:\n    timeout 0.05 { sleep 1 }\n")
    let handed = String(
      decoding: try RegularFile.read(seen, limit: RegularFile.textLimit), as: UTF8.self)
    #expect(
      handed == #"timeout $timeout { sleep $sleep; print "done" }"# + "\n", "the step's program")
    let run = await harness.execute("run")
    #expect(run.output.contains("=> TimeoutError"))
    #expect(!run.output.contains("asks for a prediction"), "an edited program is the learner's own")
    _ = await harness.execute("next")
    _ = await harness.execute("back")
    let again = await harness.execute("run")
    #expect(again.output.contains("  done"), "moving on drops the edited program")
  }

  @Test("an edited program that does not parse is shown with its error, and kept for the next edit")
  func broken() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-edit")
    let harness = try Self.harness(editor: "printf 'timeout 1 { sleep\\n' > \"$1\"", in: directory)
    _ = await harness.execute("lesson demo")
    let reply = await harness.execute("edit")
    #expect(reply.result == .invalid)
    #expect(reply.output.contains("    timeout 1 { sleep"))
    #expect(reply.output.contains("(fix it with 'edit' again: your text is kept)"))
    #expect(reply.errors.hasPrefix("error: "))
    #expect(harness.session.currentProgram == "timeout 1 { sleep")
  }

  @Test(
    "an editor that fails, or leaves nothing, changes nothing",
    arguments: [("exit 3", "ended with exited(3)"), (": > \"$1\"", "the edited program is empty")])
  func failing(_ script: String, _ message: String) async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-edit")
    let harness = try Self.harness(editor: script, in: directory)
    _ = await harness.execute("lesson demo")
    await harness.execute("edit").expectOneLineError(containing: message)
    #expect(harness.session.currentProgram == #"timeout $timeout { sleep $sleep; print "done" }"#)
  }

  @Test("an editor that is not there, and no terminal, are one error each")
  func noEditor() async throws {
    let harness = try LessonFixtures.harness()
    harness.session.editorHasTerminal = { true }
    harness.session.environment = { $0 == "VISUAL" ? "/nonexistent/editor --wait" : nil }
    await harness.execute("edit").expectOneLineError(
      containing: "cannot start the editor '/nonexistent/editor' (from VISUAL)")
    harness.session.editorHasTerminal = { false }
    await harness.execute("edit").expectOneLineError(containing: "edit needs a terminal")
    await harness.execute("edit now").expectOneLineError(containing: "usage: edit [python | swift]")
  }

  @Test("show swift, show python, show and compare use the edited program, as run does")
  func showsEdited() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-edit")
    let harness = try Self.harness(
      editor: "printf 'scope Edited { sleep 0.01 }\\n' > \"$1\"", in: directory)
    _ = await harness.execute("lesson demo")
    let before = await harness.execute("show python")
    #expect(before.output.contains(#""done""#), "the step's program before the edit")
    #expect(!before.output.contains("Edited"))
    _ = await harness.execute("edit")
    for view in ["show python", "show swift"] {
      let shown = await harness.execute(view)
      #expect(shown.result == .done, "\(shown.errors)")
      #expect(shown.output.contains("Edited"), "\(view): \(shown.output)")
      #expect(!shown.output.contains(#""done""#), "\(view): \(shown.output)")
    }
    let step = await harness.execute("show")
    #expect(step.output.contains("Your edited program, which 'run' runs"))
    #expect(step.output.contains("    scope Edited { sleep 0.01 }\n"))
    let compared = await harness.execute("compare")
    #expect(compared.output.contains("Edited"), "\(compared.output)\(compared.errors)")
    #expect(!compared.output.contains("print done"))
  }

  @Test("step N on the same step, reset and restart go back to the step's program")
  func backToStepProgram() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-edit")
    let harness = try Self.harness(
      editor: "printf 'timeout 0.05 { sleep 1 }\\n' > \"$1\"", in: directory)
    let stepProgram = #"timeout $timeout { sleep $sleep; print "done" }"#
    _ = await harness.execute("lesson demo")
    for command in ["step 1", "reset", "restart"] {
      _ = await harness.execute("edit")
      #expect(harness.session.currentProgram == "timeout 0.05 { sleep 1 }")
      let reply = await harness.execute(command)
      #expect(reply.result == .done, "\(command): \(reply.errors)")
      #expect(harness.session.currentProgram == stepProgram, "after \(command)")
      #expect(harness.session.prompt == "scopelab demo 1/3> ")
      let shown = await harness.execute("show")
      #expect(!shown.output.contains("Your edited program"), "after \(command)")
    }
    _ = await harness.execute("edit")
    let reset = await harness.execute("reset")
    #expect(reset.output.contains("'run' runs the step's program again"))
    let again = await harness.execute("reset")
    #expect(!again.output.contains("'run' runs"), "said only when there was an edit")
    _ = await harness.execute("edit")
    await harness.execute("step 9").expectOneLineError(containing: "step takes a number")
    #expect(harness.session.currentProgram == "timeout 0.05 { sleep 1 }", "a failed step keeps it")
  }

  @Test("a replay placing the session at another step drops the edit and the prediction")
  func placeDropsEditAndPrediction() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-edit")
    let harness = try Self.harness(
      editor: "printf 'timeout 0.05 { sleep 1 }\\n' > \"$1\"", in: directory)
    _ = await harness.execute("lesson demo")
    let lesson = try #require(harness.session.openLesson)
    _ = await harness.execute("edit")
    _ = await harness.execute("predict ok")
    harness.session.place(in: lesson, step: 1)
    #expect(harness.session.prediction == "ok", "placing it where it is changes nothing")
    #expect(harness.session.currentProgram == "timeout 0.05 { sleep 1 }")
    harness.session.place(in: lesson, step: 2)
    #expect(harness.session.prediction == nil)
    #expect(harness.session.currentProgram != "timeout 0.05 { sleep 1 }")
  }
}
