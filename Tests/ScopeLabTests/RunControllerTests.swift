import AsyncScope
import Synchronization
import Testing

@testable import ScopeLab

@Suite("Ctrl-C during a run: the run controller")
struct RunControllerTests {
  final class Counter: Sendable {
    let value = Atomic<Int>(0)
    func add() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
  }

  @Test("first press cancels, third press force-quits; presses outside a run are ignored")
  func presses() {
    let cancels = Counter()
    let quits = Counter()
    let controller = RunController(forceQuit: { quits.add() })
    controller.interrupt()
    #expect(!controller.wasInterrupted, "a press with no run is ignored")
    controller.begin { cancels.add() }
    controller.interrupt()
    #expect(cancels.count == 1 && controller.wasInterrupted)
    controller.interrupt()
    #expect(cancels.count == 1 && quits.count == 0, "the second press escalates teardowns only")
    controller.interrupt()
    #expect(quits.count == 1)
    controller.end()
    controller.interrupt()
    #expect(quits.count == 1, "after the run, presses do nothing")
  }

  @Test("a new run starts with no presses counted")
  func reset() {
    let controller = RunController()
    controller.begin {}
    controller.interrupt()
    controller.end()
    controller.begin {}
    #expect(!controller.wasInterrupted)
  }
}

@Suite("busy is bounded: nothing can interrupt it")
struct BusyLimitTests {
  @Test(
    "busy needs a finite duration of at most 60 s", arguments: ["busy inf", "busy 61", "busy none"])
  func refused(source: String) throws {
    let error = #expect(throws: ProgramError.self) {
      _ = try Program(parsing: source, checkedAgainst: .builtIn)
    }
    #expect(error?.message.contains("'busy' needs a finite duration of at most 1min") == true)
    #expect(error?.position == SourcePosition(line: 1, column: 6))
  }

  @Test("through a parameter too, and the message says where the value came from")
  func throughParameter() throws {
    var parameters = Parameters.builtIn
    try parameters.set("sleep", to: "90")
    let error = #expect(throws: ProgramError.self) {
      _ = try Program(parsing: "busy $sleep", checkedAgainst: parameters)
    }
    #expect(error?.message.hasPrefix("$sleep is '90s': ") == true)
  }

  @Test("60 s and less are fine")
  func accepted() throws {
    _ = try Program(parsing: "busy 60; busy 0.1; busy -1", checkedAgainst: .builtIn)
  }
}
