import TestSupport
import Testing

/// `scopelab compare`, run as a process: exit 0 when the traces agree, 1 when they differ.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CompareEndToEndTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  @Test("a program both runs agree on")
  func agree() throws {
    let run = try scopelab.run(["compare", "scope A { print body }"])
    #expect(run.status == 0, "\(run)")
    #expect(run.output.hasSuffix("\nagree\n"))
  }

  @Test("busy inside a timeout differs, naming busyBlocksTheLoop")
  func differ() throws {
    let run = try scopelab.run(["compare", "timeout 0.1 { busy 0.3 }"])
    #expect(run.status == 1, "\(run)")
    #expect(run.output.contains("known difference busyBlocksTheLoop"))
    #expect(run.output.contains("\ndiffer: first at event 2"))
  }
}
