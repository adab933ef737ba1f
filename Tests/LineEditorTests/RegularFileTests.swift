import Glibc
import TestSupport
import Testing

@testable import LineEditor

/// The one reader and writer of scopelab's files: regular files only, bounded, replaced
/// atomically and never through a symbolic link.
@Suite(.serialized)
struct RegularFileTests {
  let directory: TemporaryDirectory

  init() throws {
    directory = try TemporaryDirectory(prefix: "scopelab-regular-file")
  }

  private func path(_ name: String) -> String { directory.path + "/" + name }

  private func readProblem(_ name: String, limit: Int = 1 << 20) -> RegularFile.Problem? {
    do {
      _ = try RegularFile.read(path(name), limit: limit, noun: "a transcript")
      return nil
    } catch {
      return error
    }
  }

  // MARK: - Reading

  @Test func readsARegularFileWhole() throws {
    try directory.write("a", "one\ntwo\n")
    #expect(try RegularFile.read(path("a"), limit: 100) == Array("one\ntwo\n".utf8))
  }

  @Test func aMissingFileIsMissing() {
    let problem = readProblem("absent")
    #expect(problem?.kind == .missing)
    #expect(problem?.description == "no such file")
  }

  @Test func aFIFOIsRefusedAtOnceNotWaitedOn() throws {
    let fifo = path("fifo")
    try OddFile.makeFIFO(fifo)
    let problem = OddFile.promptly(unblocking: fifo) { () -> RegularFile.Problem? in
      do throws(RegularFile.Problem) {
        _ = try RegularFile.read(fifo, limit: 100, noun: "a transcript")
        return nil
      } catch {
        return error
      }
    }
    let refused = try #require(problem, "reading a FIFO did not return within 10 s")
    #expect(refused?.kind == RegularFile.Problem.Kind.notRegular)
    #expect(refused?.description == "is a named pipe (FIFO), not a transcript")
  }

  @Test func aLinkToADeviceIsRefusedNotReadForever() throws {
    try OddFile.link(path("zero"), to: "/dev/zero")
    let problem = readProblem("zero")
    #expect(problem?.kind == .notRegular)
    #expect(problem?.description == "is a device, not a transcript")
  }

  @Test func aDirectoryIsRefused() {
    #expect(directory.makeDirectory("dir"))
    #expect(readProblem("dir")?.description == "is a directory, not a transcript")
  }

  @Test func aFileOverTheLimitIsRefused() throws {
    try directory.write("big", String(repeating: "x", count: 2049))
    let problem = readProblem("big", limit: 2048)
    #expect(problem?.kind == .tooLarge)
    #expect(problem?.description == "is larger than 2 KiB: not a transcript")
    try directory.write("fits", String(repeating: "x", count: 2048))
    #expect(readProblem("fits", limit: 2048) == nil)
  }

  @Test func theTailOfALargeFileIsItsLastBytes() throws {
    try directory.write("log", "0123456789")
    let (tail, truncated) = try RegularFile.readTail(path("log"), limit: 4)
    #expect(tail == Array("6789".utf8))
    #expect(truncated)
    let (whole, cut) = try RegularFile.readTail(path("log"), limit: 10)
    #expect(whole == Array("0123456789".utf8))
    #expect(!cut)
  }

  // MARK: - Replacing

  @Test func replacesAFileAndLeavesNoTemporary() throws {
    try directory.write("out", "old")
    try RegularFile.replace(path("out"), with: "new\n")
    #expect(directory.read("out") == "new\n")
    #expect(try directory.names().filter { !$0.hasPrefix(".") } == ["out"])
  }

  @Test func aTemporaryFileIsNewTheOwnersOnlyAndNamedAsAsked() throws {
    let first = try RegularFile.createTemporary("scopelab-test", suffix: ".scope")
    let second = try RegularFile.createTemporary("scopelab-test", suffix: ".scope")
    defer {
      for file in [first, second] {
        file.close()
        RegularFile.remove(file.path)
      }
    }
    #expect(first.path != second.path)
    for file in [first, second] {
      #expect(file.path.hasPrefix("/tmp/scopelab-test-") && file.path.hasSuffix(".scope"))
      var info = stat()
      #expect(lstat(file.path, &info) == 0)
      #expect(info.st_mode & S_IFMT == S_IFREG)
      #expect(info.st_mode & 0o777 == 0o600)
    }
    #expect(first.write("edited\n") == nil)
    #expect(try RegularFile.read(first.path, limit: 100) == Array("edited\n".utf8))
  }

  @Test func keepsThePermissionsOfTheFileItReplaces() throws {
    try directory.write("out", "old")
    chmod(path("out"), 0o640)
    try RegularFile.replace(path("out"), with: "new")
    var info = stat()
    #expect(stat(path("out"), &info) == 0)
    #expect(info.st_mode & 0o777 == 0o640)
    try RegularFile.replace(path("fresh"), with: "x", permissions: 0o600)
    #expect(stat(path("fresh"), &info) == 0)
    #expect(info.st_mode & 0o777 == 0o600)
  }

  @Test func aLinkAtTheTargetIsRefusedAndWhatItPointsToIsUnchanged() throws {
    try directory.write("victim", "precious\n")
    try OddFile.link(path("out"), to: path("victim"))
    #expect(throws: RegularFile.Problem.self) {
      try RegularFile.replace(path("out"), with: "attack\n")
    }
    #expect(directory.read("victim") == "precious\n")
    var info = stat()
    #expect(lstat(path("out"), &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "the link stays")
    #expect(try directory.names().filter { !$0.hasPrefix(".") }.sorted() == ["out", "victim"])
  }

  @Test func linksPlantedAtTemporaryNamesAreNeverWrittenThrough() throws {
    try directory.write("victim", "precious\n")
    try directory.write("out", "old\n")
    // The names the old writer used (`PATH.tmp-<pid>`), for this and the next pids.
    let pid = Int(getpid())
    for next in pid..<pid + 50 {
      try OddFile.link(path("out.tmp-\(next)"), to: path("victim"))
    }
    try RegularFile.replace(path("out"), with: "new\n")
    #expect(directory.read("out") == "new\n")
    #expect(directory.read("victim") == "precious\n")
  }

  @Test func somethingElseThanAFileAtTheTargetIsRefused() throws {
    let fifo = path("fifo")
    try OddFile.makeFIFO(fifo)
    let problem = OddFile.promptly(unblocking: fifo) { () -> String? in
      do throws(RegularFile.Problem) {
        try RegularFile.replace(fifo, with: "x")
        return nil
      } catch {
        return error.description
      }
    }
    #expect(problem == "is a named pipe (FIFO): not replaced")
  }

  @Test func theLockIsTakenWithoutFollowingALink() throws {
    try directory.write("victim", "precious\n")
    try OddFile.link(path("file.lock"), to: path("victim"))
    let ran = RegularFile.withLock(path("file.lock")) { true }
    #expect(ran)
    #expect(directory.read("victim") == "precious\n")
  }
}
