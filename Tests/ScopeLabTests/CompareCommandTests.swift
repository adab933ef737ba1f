import AsyncScope
import Testing

@testable import ScopeLab

/// `compare`: scopelab's trace and CPython asyncio's, side by side. Needs python3 3.11+.
@Suite("compare", .serialized, .timeLimit(.minutes(2)))
struct CompareCommandTests {
  private func compare(_ source: String, python: String? = nil) async -> (
    status: Int32, output: String, errors: String
  ) {
    let output = CapturedOutput()
    let errors = CapturedOutput()
    let core = CompareCommandCore(source: source, python: python)
    let status = await core.run(output: output, errors: errors)
    return (status, output.text, errors.text)
  }

  @Test(
    "DESIGN.md's seed examples agree",
    arguments: [
      #"timeout 0.2 { sleep 0.1; print "done" }; print "after""#,
      #"timeout 0.1 { sleep 0.3; print "done" }; print "after""#,
      "runner { sleep 0.05 }",
      "scope A { scope B { print body } }",
    ])
  func agrees(_ source: String) async {
    let run = await compare(source)
    #expect(run.status == 0, "\(run.output)\(run.errors)")
    let lines = run.output.split(separator: "\n")
    #expect(lines.last == "agree")
    #expect(!run.output.contains(">>"))
    #expect(lines.allSatisfy { $0.count <= 80 })
  }

  @Test("busy inside a timeout: busyBlocksTheLoop, marked where the traces part")
  func busy() async {
    let run = await compare("timeout 0.2 { busy 0.6 }")
    #expect(run.status == 1)
    let lines = run.output.split(separator: "\n").map(String.init)
    #expect(lines.first { $0.hasPrefix(">>") }?.contains("fired timeout#1") == true)
    #expect(lines.filter { $0.hasPrefix(">>") }.count == 1)
    #expect(run.output.contains("known difference busyBlocksTheLoop: busy blocks asyncio's"))
    #expect(lines.last?.hasPrefix("differ: first at event 2") == true)
    #expect(lines.allSatisfy { $0.count <= 80 })
  }

  @Test("a group where two tasks fail: exceptionGroup")
  func twoFailures() async {
    let run = await compare("group { task { throw KeyError }; task { throw ValueError } }")
    #expect(run.status == 1)
    #expect(run.output.contains("known difference exceptionGroup:"))
    #expect(run.output.contains("known difference exitOrder:"))
    #expect(run.output.contains("result ExceptionGroup"))
  }

  @Test("no usable Python: exit 2, naming what was tried")
  func noPython() async {
    let run = await compare("runner { }", python: "/nonexistent/python3")
    #expect(run.status == 2)
    #expect(run.errors == "error: no usable Python: tried /nonexistent/python3 (not found)\n")
    #expect(run.output.isEmpty)
  }

  @Test("invalid input: exit 2 before anything runs")
  func invalid() async {
    #expect(await compare("timeout {").status == 2)
    let output = CapturedOutput()
    let errors = CapturedOutput()
    let status = await CompareCommandCore(source: "runner { }", settings: ["sleep"])
      .run(output: output, errors: errors)
    #expect(status == 2)
    #expect(errors.text.hasPrefix("error: --set takes NAME=VALUE"))
  }

  @Test("known differences by rule on the program")
  func rules() throws {
    func differences(_ source: String) throws -> [KnownDifference] {
      KnownDifference.applying(to: try Program(parsing: source))
    }
    #expect(try differences("timeout 1 { sleep 0.1 }").isEmpty)
    #expect(try differences("timeout 0.05 { busy 0.15 }") == [.busyBlocksTheLoop])
    #expect(try differences("group { task { sleep 0.05 } }") == [.exitOrder])
    #expect(try differences("group { task { throw KeyError } }") == [.exceptionGroup, .exitOrder])
    #expect(
      try differences("group { task { print task }; print body }") == [
        .exitOrder, .taskStartsLater,
      ])
  }

  @Test("a table row is cut to its column with …")
  func fit() {
    #expect(TraceComparison.fit("abcdef", 4) == "abc…")
    #expect(TraceComparison.fit("ab", 4) == "ab  ")
  }
}
