import AsyncScope
import LineEditor
import TestSupport
import Testing

@testable import ScopeLab

/// `group { task { } }` in the language: parsing, printing, completion, and runs traced
/// with each task as a scope of its own, side by side under its group (TG1, TG6).
@Suite("Task groups in the program language")
struct GroupLanguageTests {
  // MARK: - Parsing and printing

  @Test("group is a scope; task a block statement inside it, at any depth")
  func parses() throws {
    let program = try Program(parsing: "group { task { sleep 1 }; scope A { task { print a } } }")
    guard case .scope(let group) = program.statements.first?.kind else {
      Issue.record("not a scope: \(program)")
      return
    }
    #expect(group.headers.map(\.kind) == [.group])
    guard case .task(let first) = group.body.statements.first?.kind else {
      Issue.record("not a task: \(group.body)")
      return
    }
    #expect(first.statements.count == 1)
    #expect(
      program.formatted(.singleLine) == "group { task { sleep 1 }; scope A { task { print a } } }")
    #expect(
      program.formatted()
        == "group {\n  task {\n    sleep 1\n  }\n  scope A {\n    task {\n      print a\n    }\n  }\n}"
    )
  }

  @Test("a group combines with other scopes, and tasks nest groups of their own")
  func nests() throws {
    let source = "timeout 1, group { task { group { task { sleep 0 } } } }"
    let program = try Program(parsing: source)
    #expect(program.formatted(.singleLine) == source)
  }

  @Test("completion offers group and task where statements start")
  func completion() {
    let completion = SessionCompletion(parameterNames: ["sleep"])
    #expect(completion.candidates(for: CompletionRequest(textBeforeCursor: "gro")) == ["group"])
    #expect(
      completion.candidates(for: CompletionRequest(textBeforeCursor: "group { ta")) == ["task"])
  }

  // MARK: - Runs

  // The runs are on a clock the tests move: what ends first is what the clock says.

  /// DESIGN.md's example, its clock moved to task#2's wake-up, then to task#1's once
  /// task#2 is done.
  private static func runDesignExample() async throws -> RunRecord {
    let clock = ManualClock()
    return try await runProgram(
      "group { task { sleep 0.2; print a }; task { sleep 0.1; print b } }; print after",
      on: clock
    ) { trace in
      await clock.sleeping(2)
      clock.advance(by: .milliseconds(100))
      try await trace.waitFor("task#2") { $0 == .exitDone(error: nil, step: nil) }
      clock.advance(by: .milliseconds(100))
    }
  }

  @Test("DESIGN.md's example: b, then a, then after; both tasks traced under the group")
  func designExample() async throws {
    let run = try await Self.runDesignExample()
    #expect(run.outcome == .ok(value: nil))
    #expect(run.printed == ["b", "a", "after"])
    #expect(
      run.lines == [
        "enter group#1", "  enter task#1", "  enter task#2", "    b",
        "  exit task#2 (received none)",
        "  exit-done task#2", "    a", "  exit task#1 (received none)", "  exit-done task#1",
        "exit group#1 (received none)", "exit-done group#1", "after", "=> ok",
      ])
    let tasks = run.events.filter { $0.scope?.name == "task" }
    #expect(tasks.allSatisfy { $0.depth == 1 }, "tasks sit one level under their group")
  }

  @Test("the timeline draws the tasks side by side under their group")
  func timeline() async throws {
    let run = try await Self.runDesignExample()
    let lines = Timeline(events: run.events, width: 80).render()
    #expect(lines.count == 5, "\(lines)")
    #expect(lines[1].hasPrefix("group#1 "))
    #expect(lines[2].hasPrefix("  task#1 ") && lines[3].hasPrefix("  task#2 "), "\(lines)")
    let ends = lines[1...3].map { line in
      line.firstIndex(of: "]").map { line.distance(from: line.startIndex, to: $0) } ?? 0
    }
    #expect(ends[0] == ends[1], "task#1 ends with its group: \(lines)")
    #expect(ends[2] < ends[1] - 20, "task#2 ends about half way: \(lines)")
  }

  @Test("a dozen tasks stay readable at 80 columns: one bar each, under the group")
  func dozenBars() async throws {
    let tasks = (1...12).map { "task { sleep 0.0\($0 % 5 + 1) }" }.joined(separator: "; ")
    let clock = ManualClock()
    let run = try await runProgram("group { \(tasks) }", on: clock) { _ in
      await clock.sleeping(12)
      clock.advance(by: .milliseconds(50))
    }
    #expect(run.outcome == .ok(value: nil))
    let lines = Timeline(events: run.events, width: 80).render()
    #expect(lines.allSatisfy { $0.displayWidth <= 80 }, "\(lines)")
    let bars = lines.filter { $0.hasPrefix("  task#") }
    #expect(bars.count == 12, "\(lines)")
    #expect(Set(bars.map { $0.prefix(10) }).count == 12, "each task has its own label: \(lines)")
    #expect(lines.filter { $0.hasPrefix("group#1 ") }.count == 1)
  }

  @Test("a task started inside a task joins the same group, which waits for it too")
  func taskInsideATask() async throws {
    let clock = ManualClock()
    let run = try await runProgram(
      "group { task { task { sleep 0.1; print inner }; print outer } }; print after", on: clock
    ) { _ in
      await clock.sleeping(1)
      clock.advance(by: .milliseconds(100))
    }
    #expect(run.outcome == .ok(value: nil))
    #expect(run.printed == ["outer", "inner", "after"])
    #expect(
      run.lines.contains("  exit task#2 (received none)"), "task#2 is the group's: \(run.lines)")
    let groupExit = try #require(
      run.events.last { $0.scope?.name == "group" && $0.kind == .exitDone(error: nil, step: nil) })
    #expect(groupExit.time.inSeconds == 0.1, "the group waited for the inner task: \(run.lines)")
  }

  @Test("a failing task cancels its sibling; the group ends with its error, within a timeout")
  func firstFailure() async throws {
    let clock = ManualClock()
    let run = try await runProgram(
      "timeout 1 { group { task { sleep 3 }; task { sleep 0.1; throw KeyError } } }", on: clock
    ) { _ in
      // The deadline's timer and both sleeps wait; only the failing task's sleep ends.
      await clock.sleeping(3)
      clock.advance(by: .milliseconds(100))
    }
    #expect(run.outcome.name == "KeyError")
    #expect(run.lines.contains("    exit task#1 (received CancellationError)"), "\(run.lines)")
    #expect(run.lines.contains("    exit task#2 (received KeyError)"), "\(run.lines)")
    let done = try #require(run.time { $0 == .exitDone(error: "KeyError", step: nil) })
    #expect(done == 0.1, "the sleeping sibling did not hold the group: \(done)")
  }

  @Test("a deadline ends every task; the timeout converts (TG4, TO3)")
  func deadline() async throws {
    let clock = ManualClock()
    let run = try await runProgram(
      "timeout 0.1 { group { task { sleep 3 }; task { sleep 3 } } }", on: clock
    ) { _ in
      await clock.sleeping(3)
      clock.advance(by: .milliseconds(100))
    }
    #expect(run.outcome.name == "TimeoutError")
    let cancelled = run.lines.filter {
      $0.contains("exit task#") && $0.contains("CancellationError")
    }
    #expect(cancelled.count == 2, "\(run.lines)")
  }
}
