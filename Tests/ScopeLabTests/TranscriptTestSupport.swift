import AsyncScope
import Foundation
import LineEditor

@testable import ScopeLab

/// A clock that moves only when a test says so.
final class TestTime: Sendable {
  private let origin = ContinuousClock.now
  private let elapsed = Locked(Duration.zero)

  func advance(by duration: Duration) {
    elapsed.withLock { $0 += duration }
  }

  var now: ContinuousClock.Instant { origin + elapsed.withLock { $0 } }
}

/// A scripted reader whose lines each take a given time to come, on a ``TestTime``.
final class PausingReader: LineReader {
  let scripted: ScriptedLineReader
  let time = TestTime()
  private let pauses: Locked<[Duration]>

  /// Each line with the time it takes to come after its prompt.
  init(_ lines: [(String, Duration)]) {
    scripted = ScriptedLineReader(lines.map(\.0))
    pauses = Locked(lines.map(\.1))
  }

  func readLine(prompt: String) async -> LineInput? {
    let pause = pauses.withLock { $0.isEmpty ? .zero : $0.removeFirst() }
    time.advance(by: pause)
    return await scripted.readLine(prompt: prompt)
  }

  func addHistory(_ line: String) { scripted.addHistory(line) }
  var history: [String] { scripted.history }
  /// A line that takes time to come is not there yet.
  var hasPendingInput: Bool {
    scripted.hasPendingInput && pauses.withLock { $0.first ?? .zero } == .zero
  }
  func setCompletionProvider(_ provider: CompletionProvider?) {
    scripted.setCompletionProvider(provider)
  }
  func close() { scripted.close() }
}

/// A fresh directory for transcripts, removed with what is in it when released.
final class ScratchDirectory {
  let path: String

  init() throws {
    let name = "scopelab-transcripts-\(UInt32.random(in: 0...UInt32.max))"
    path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }

  /// The path of `name` in the directory.
  func file(_ name: String) -> String { path + "/" + name }

  /// The contents of `name`, or nil if it cannot be read.
  func read(_ name: String) -> String? {
    FileManager.default.contents(atPath: file(name)).map { String(decoding: $0, as: UTF8.self) }
  }

  func write(_ name: String, _ contents: String) {
    _ = FileManager.default.createFile(atPath: file(name), contents: Data(contents.utf8))
  }
}

extension String {
  /// Each line with the trace's time at its start (`  0.012s`) replaced by `T`: times
  /// differ from run to run, the rest of a trace line does not.
  var timesMasked: String {
    split(separator: "\n", omittingEmptySubsequences: false).map { line in
      let trimmed = line.drop { $0 == " " }
      let number = trimmed.prefix { $0.isNumber || $0 == "." }
      guard number.contains("."), trimmed.dropFirst(number.count).first == "s" else {
        return String(line)
      }
      return "T" + trimmed.dropFirst(number.count + 1)
    }.joined(separator: "\n")
  }
}
