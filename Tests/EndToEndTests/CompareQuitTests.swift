import Glibc
import TestSupport
import Testing

/// A third Ctrl-C during `scopelab compare` quits at once with 130, whatever the Python
/// run was doing: its process is killed and nothing is left.
///
/// The quit once raced compare's own wait for Python: the way out reaped Python behind
/// swift-subprocess's back, whose wait then failed ("could not run ...: Failed to monitor
/// the process's exit status ... No child processes") and compare exited 2 before the
/// quit could exit 130. The presses come close together, so that the second finds no
/// teardown to cut short yet and the third quits while Python still runs; the race was
/// lost about once in 20 to 40 tries, so the test tries several times.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CompareQuitTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
  }

  /// A stand-in for python3: answers the version check, then ignores SIGINT (so only the
  /// third press or a SIGKILL ends it) and hangs, its pid in `python.pid`.
  private func standIn() throws -> String {
    try scopelab.home.write(
      "python3",
      """
      #!/bin/sh
      case "$2" in *version_info*) echo '(3, 12)'; exit 0;; esac
      trap '' INT
      echo $$ > '\(scopelab.home.path)/python.pid'
      exec sleep 60

      """)
    let path = scopelab.home.path + "/python3"
    #expect(chmod(path, 0o755) == 0)
    return path
  }

  @Test func threeQuickControlCsDuringPythonExit130AndLeaveNothing() throws {
    let python = try standIn()
    for attempt in 1...6 {
      _ = try? scopelab.home.write("python.pid", "")
      let process = try scopelab.start(["compare", "scope A { }", "--python", python])
      let pid = try eventually(timeout: 20, "the stand-in Python never started") {
        scopelab.home.read("python.pid")?.split(separator: "\n").first.flatMap { pid_t($0) }
      }
      // Each press its own signal (one pending SIGINT would swallow the next), the three
      // within a few milliseconds.
      for _ in 0..<3 {
        process.signal(SIGINT)
        usleep(500)
      }
      let ended = process.waitForExit(timeout: 10)
      #expect(
        ended == .exited(130),
        "attempt \(attempt): stdout: \(process.outputText) stderr: \(process.errorText)")
      #expect(
        !process.errorText.contains("could not run"), "attempt \(attempt): \(process.errorText)")
      let quits = process.errorText.split(separator: "\n").filter { $0.contains("quitting now") }
      #expect(quits.count <= 1, "attempt \(attempt): \(process.errorText)")
      let left = ProcessTable.waitUntilGone(pids: [pid], groups: [pid])
      #expect(left.isEmpty, "attempt \(attempt): left behind: \(left)")
    }
  }
}
