import Glibc
import TestSupport
import Testing

@testable import LineEditor

struct HistoryListTests {
  // MARK: - Dedupe and cap

  @Test func keepsOneCopyOfEachLineAtItsLatestPlace() {
    var history = HistoryList()
    for line in ["run", "set sleep 3", "run", "run", "help", "set sleep 3"] {
      history.append(line)
    }
    #expect(history.entries == ["run", "help", "set sleep 3"])
  }

  @Test func dropsTheOldestBeyondTheCapacity() {
    var history = HistoryList(capacity: 3)
    history.append(contentsOf: ["a", "b", "c", "d", "b", "e"])
    #expect(history.entries == ["d", "b", "e"])
  }

  @Test(arguments: ["", "   ", "two\nlines", "carriage\rreturn", "nul\0byte"])
  func ignoresLinesThatCannotBeKept(line: String) {
    var history = HistoryList(["kept"])
    history.append(line)
    #expect(history.entries == ["kept"])
  }
}

@Suite(.serialized)
struct HistoryFileTests {
  // MARK: - Location

  @Test func honoursXDGStateHome() {
    let path = HistoryFile.standardPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"])
    #expect(path == "/s/scopelab/history")
  }

  @Test(arguments: [[:], ["XDG_STATE_HOME": ""], ["XDG_STATE_HOME": "relative/dir"]])
  func fallsBackToHome(extra: [String: String]) {
    let environment = extra.merging(["HOME": "/home/learner"]) { $1 }
    let path = HistoryFile.standardPath(environment: environment)
    #expect(path == "/home/learner/.local/state/scopelab/history")
  }

  @Test func hasNoPathWithoutAHome() {
    #expect(HistoryFile.standardPath(environment: [:]) == nil)
  }

  // MARK: - Saving

  @Test func createsTheDirectoryAndRoundTrips() throws {
    let directory = try TemporaryDirectory()
    let file = HistoryFile(path: directory.path + "/state/scopelab/history")
    #expect(file.load() == [])
    #expect(file.append(["run", "set timeout 500ms", "run"]) == nil)
    #expect(file.load() == ["set timeout 500ms", "run"])
    #expect(directory.read("state/scopelab/history") == "set timeout 500ms\nrun\n")
  }

  @Test func mergesWithWhatAnotherSessionSaved() throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/history"
    let first = HistoryFile(path: path, capacity: 4)
    let second = HistoryFile(path: path, capacity: 4)
    first.append(["a", "b"])
    second.append(["c", "a"])
    first.append(["d", "e"])
    #expect(first.load() == ["c", "a", "d", "e"])
  }

  @Test func readsAFileWithInvalidUTF8WithoutFailing() throws {
    let directory = try TemporaryDirectory()
    try directory.write("history", "ok\n")
    let fd = open(directory.path + "/history", O_WRONLY | O_APPEND)
    var garbage: [UInt8] = [0xff, 0xfe, 0x0a]
    _ = write(fd, &garbage, garbage.count)
    close(fd)
    let entries = HistoryFile(path: directory.path + "/history").load()
    #expect(entries.count == 2)
    #expect(entries.first == "ok")
  }

  @Test func anUnwritableDirectoryGivesAOneLineWarning() throws {
    let directory = try TemporaryDirectory()
    try directory.write("not-a-directory", "")
    let file = HistoryFile(path: directory.path + "/not-a-directory/scopelab/history")
    let warning = try #require(file.append(["run"]))
    #expect(!warning.description.contains("\n"))
    #expect(warning.description.hasPrefix("scopelab: history not saved to "))
    #expect(file.load() == [])
  }

  @Test func aReadOnlyDirectoryGivesAWarning() throws {
    guard geteuid() != 0 else { return }  // root writes anywhere
    let directory = try TemporaryDirectory()
    chmod(directory.path, 0o500)
    defer { chmod(directory.path, 0o700) }
    let warning = HistoryFile(path: directory.path + "/history").append(["run"])
    #expect(warning != nil)
  }

  // MARK: - Concurrent writers

  @Test func concurrentWritersNeverCorruptTheFile() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/history"
    let writers = 4
    let linesEach = 40
    await withTaskGroup(of: Void.self) { group in
      for writer in 0..<writers {
        group.addTask {
          let file = HistoryFile(path: path, capacity: 1000)
          for index in 0..<linesEach {
            file.append(["writer \(writer) line \(index)"])
          }
        }
      }
    }
    let entries = HistoryFile(path: path).load()
    // With the lock, nothing is lost; without it, the rename still keeps every
    // line whole - check both: every line is well formed, and all are there.
    #expect(entries.allSatisfy { $0.hasPrefix("writer ") && $0.contains(" line ") })
    #expect(entries.count == writers * linesEach)
    #expect(directory.read("history")?.hasSuffix("\n") == true)
    let leftovers = (try? directory.names().filter { $0.hasSuffix(".tmp") }) ?? []
    #expect(leftovers.isEmpty)
  }
}
