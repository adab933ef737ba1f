import Foundation
import TestSupport
import Testing

/// `scopelab trace FILE.py --perfetto FILE.json`: the same Chrome trace-event writer as
/// `run`, checked against the JSONL trace of the same Python run.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct TracePerfettoTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  @Test("a traced Python run is written as trace-event JSON", arguments: TraceEndToEndTests.pythons)
  func pythonRun(python: String) throws {
    try scopelab.home.write(
      "program.py",
      """
      import asyncio

      class Resource:
          async def __aenter__(self):
              return self

          async def __aexit__(self, exc_type, exc, tb):
              print("closing")

      async def main():
          async with Resource():
              try:
                  async with asyncio.timeout(0.05):
                      await asyncio.sleep(1)
              except TimeoutError:
                  print("timed out")

      asyncio.run(main())
      """)
    let program = scopelab.home.path + "/program.py"
    let file = scopelab.home.path + "/trace.json"
    let finished = try scopelab.run(
      [
        "trace", program, "--python", python, "--trace-format", "jsonl", "--perfetto", file,
        "--force",
      ], timeout: 60)
    #expect(finished.status == 0, "\(finished)")
    let trace = try finished.output.split(separator: "\n").map { line in
      try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
    #expect(trace.contains { ($0["event"] as? String) == "fired" }, "\(finished)")
    let picture = try PerfettoFile(path: file)
    try picture.check(against: trace)
    // Without --force an existing file is kept, and the run refused.
    let again = try scopelab.run(["trace", program, "--python", python, "--perfetto", file])
    #expect(again.status == 2)
    #expect(again.errors.contains("exists: add --force"), "\(again)")
  }

  @Test(
    "a TaskGroup's tasks: a number each, the same run to run, a Perfetto track each",
    arguments: TraceEndToEndTests.pythons)
  func taskGroupTasks(python: String) throws {
    // Two tasks, each in a scope of its own at the same depth, open side by side.
    try scopelab.home.write(
      "group.py",
      """
      import asyncio

      class Room:
          async def __aenter__(self):
              return self

          async def __aexit__(self, *exc):
              return False

      async def first():
          await asyncio.sleep(0.3)
          async with Room():
              print("a")

      async def second():
          async with Room():
              await asyncio.sleep(0.6)
              print("b")

      async def main():
          async with asyncio.TaskGroup() as group:
              group.create_task(first())
              group.create_task(second())
          print("after")

      asyncio.run(main())
      """)
    try PerfettoFile.checkTasksTwice(
      scopelab, tracing: ["trace", scopelab.home.path + "/group.py", "--python", python],
      file: scopelab.home.path + "/group.json", timeout: 60, expected: PerfettoFile.roomsTasks,
      tracks: [1: "main", 2: "task#1 in group#1", 3: "task#2 in group#1"])
  }

  @Test(
    "tasks from asyncio.gather: a number each, in order of their first event, a track each",
    arguments: TraceEndToEndTests.pythons)
  func gatherTasks(python: String) throws {
    // Two tasks that inherit main's context, each in a Room, open side by side.
    try scopelab.home.write(
      "gather.py",
      """
      import asyncio

      class Room:
          async def __aenter__(self):
              return self

          async def __aexit__(self, *exc):
              return False

      async def visit(name, wait):
          async with Room():
              await asyncio.sleep(wait)
              print(name)

      async def main():
          await asyncio.gather(visit("a", 0.3), visit("b", 0.6))
          print("after")

      asyncio.run(main())
      """)
    // main is 1 though the gathered tasks report first.
    try PerfettoFile.checkTasksTwice(
      scopelab, tracing: ["trace", scopelab.home.path + "/gather.py", "--python", python],
      file: scopelab.home.path + "/gather.json", timeout: 60,
      expected: PerfettoFile.gatheredTasks, tracks: [1: "main", 2: "task 2", 3: "task 3"])
  }
}
