import Foundation
import Glibc
import TestSupport
import Testing

/// END TO END WITH CPU HOGS: two busy loops run while built-in lessons are checked at the
/// default slack, as on a busy CI machine. Each hog is `timeout 60 sh -c 'while :; do :;
/// done'` (so it ends by itself even if this test dies) and is stopped with SIGTERM, which
/// `timeout` passes on, when the test ends.
@Suite("Busy machine, end to end (two CPU hogs)", .serialized)
struct BusyMachineEndToEndTests {
  @Test("built-in lessons check clean at the default slack with two CPU hogs running")
  func lessonsCheckWithHogs() throws {
    let scopelab = try Scopelab()
    var path = #filePath
    for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }
    // The lesson whose challenge has a `time:` window, and one with processes: copies, so a
    // failure's FILE.actual lands beside them (kept, and named below), not in Lessons/.
    let copies = try TemporaryDirectory(prefix: "scopelab-busy")
    let lessons = try ["async-protocol", "process-scope"].map { name in
      try copies.write(
        name + ".md", String(contentsOfFile: path + "/Lessons/\(name).md", encoding: .utf8))
      return copies.path + "/\(name).md"
    }
    var hogs: [PipedProcess] = []
    defer {
      for hog in hogs {
        hog.signal(SIGTERM)
        if hog.waitForExit(timeout: 5) == nil {
          hog.signal(SIGKILL)
          hog.waitForExit(timeout: 5)
        }
      }
    }
    for _ in 0..<2 {
      hogs.append(
        try PipedProcess(
          executable: "/usr/bin/timeout", arguments: ["60", "sh", "-c", "while :; do :; done"],
          environment: ["PATH": "/usr/bin:/bin"]))
    }
    let finished = try scopelab.run(["replay", "--check"] + lessons, timeout: 90)
    let passed = finished.status == 0 && finished.output.hasSuffix("2 passed, 0 failed\n")
    copies.kept = !passed
    #expect(
      passed, "\(finished)\n(the lessons checked, and a failing one's FILE.actual: \(copies.path))")
  }
}
