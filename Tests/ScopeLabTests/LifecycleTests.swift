import Glibc
import LineEditor
import Testing

@testable import ScopeLab

/// What the executable's wiring reads from the process: its environment, and how wide to
/// draw for a descriptor that is no terminal.
struct LifecycleTests {
  // Read only: setting a variable here would race with tests that start processes.
  @Test func theEnvironmentHoldsWhatGetenvReads() {
    let environment = ProcessEnvironment.current()
    #expect(!environment.isEmpty)
    for name in ["PATH", "HOME"] {
      #expect(environment[name] == getenv(name).map { String(cString: $0) }, "\(name)")
      #expect(ProcessEnvironment.value(name) == environment[name], "\(name)")
    }
  }

  @Test func aPipeIsDrawnEightyColumnsWide() throws {
    var fds: [Int32] = [-1, -1]
    try #require(pipe(&fds) == 0)
    defer { for fd in fds { close(fd) } }
    #expect(TimelineWidth.of(fds[1]) == 80)
    #expect(TextWidth.onTerminal(fds[1]) == nil)
  }
}
