import Glibc
import PosixThread
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

  @Test func aFileWithInvalidUTF8OrNULIsReadWithAWarningAndNeverRewritten() throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/history"
    try directory.write("history", "ok\n")
    let fd = open(path, O_WRONLY | O_APPEND)
    var garbage: [UInt8] = [0xff, 0xfe, 0x0a, 0x61, 0x00, 0x62, 0x0a, 0x72, 0x75, 0x6e, 0x0a]
    _ = write(fd, &garbage, garbage.count)
    close(fd)
    let file = HistoryFile(path: path)
    let contents = file.read()
    #expect(contents.entries == ["ok", "run"], "the lines that are text")
    let warning = try #require(contents.warning)
    #expect(
      warning.description
        == "scopelab: history not saved to \(path): 2 lines hold bytes that are not UTF-8 text "
        + "or NUL (left out); the file is left as it is")
    let before = try RegularFile.read(path, limit: 100)
    #expect(file.append(["new"]) == warning, "saving says the same, and writes nothing")
    #expect(try RegularFile.read(path, limit: 100) == before)
  }

  @Test func aDirectoryAtThePathIsAWarningAndIsLeftAlone() throws {
    // Tests run as root, where mode 000 is still readable: a directory cannot be read.
    let directory = try TemporaryDirectory()
    #expect(directory.makeDirectory("history"))
    let file = HistoryFile(path: directory.path + "/history")
    let contents = file.read()
    #expect(contents.entries == [])
    #expect(
      contents.warning?.description
        == "scopelab: history not saved to \(file.path): is a directory, not a history file")
    #expect(file.append(["run"]) == contents.warning)
    #expect(Syscall.isDirectory(file.path))
  }

  @Test func anUnreadableFileIsAWarningAndIsNotReplaced() throws {
    guard geteuid() != 0 else { return }  // root reads a mode-000 file: see the directory case
    let directory = try TemporaryDirectory()
    let path = directory.path + "/history"
    try directory.write("history", "kept\n")
    chmod(path, 0)
    defer { chmod(path, 0o600) }
    let file = HistoryFile(path: path)
    #expect(file.read().warning?.problem == "permission denied")
    #expect(file.append(["run"])?.problem == "permission denied")
    chmod(path, 0o600)
    #expect(directory.read("history") == "kept\n")
  }

  @Test func aFIFOAtThePathIsAWarningNotAHang() throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/history"
    try OddFile.makeFIFO(path)
    let contents = OddFile.promptly(unblocking: path) { HistoryFile(path: path).read() }
    let read = try #require(contents, "reading a FIFO as history did not return within 10 s")
    #expect(read.entries == [])
    #expect(read.warning?.problem == "is a named pipe (FIFO), not a history file")
    let saved = OddFile.promptly(unblocking: path) { HistoryFile(path: path).append(["run"]) }
    #expect(saved??.problem == "is a named pipe (FIFO), not a history file")
  }

  @Test func aLinkToDevZeroIsAWarningNotACrash() throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/history"
    try OddFile.link(path, to: "/dev/zero")
    let contents = HistoryFile(path: path).read()
    #expect(contents.entries == [])
    #expect(contents.warning?.problem == "is a device, not a history file")
    #expect(HistoryFile(path: path).append(["run"]) == contents.warning)
  }

  @Test func anOversizedFileIsReadFromItsEndWithAWarningAndNotReplaced() throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/history"
    // 5 MiB of numbered lines: more than the 4 MiB read.
    let line = String(repeating: "x", count: 1000)
    let count = 5 * 1024
    let text = (0..<count).map { "\($0) \(line)\n" }.joined()
    try directory.write("history", text)
    let file = HistoryFile(path: path, capacity: 1000)
    let contents = file.read()
    let warning = try #require(contents.warning)
    #expect(
      warning.problem
        == "it is larger than 4 MiB (only its last part is used); the file is left as it is")
    #expect(contents.entries == (count - 1000..<count).map { "\($0) \(line)" }, "the newest")
    #expect(file.append(["run"]) == warning)
    #expect(directory.read("history")?.utf8.count == text.utf8.count, "left as it was")
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
