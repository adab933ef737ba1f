import Foundation
import Testing

@testable import ScopeLab

/// `show source`'s text is the code that runs: the embedded copy must match the library.
@Suite("Library source")
struct LibrarySourceTests {
  static let rerun = "run scripts/embed-library-source"

  /// The package directory: this file is `ROOT/Tests/ScopeLabTests/LibrarySourceTests.swift`.
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static let embeddedFile = "Sources/ScopeLab/CodeViews/LibrarySource+Embedded.swift"

  @Test("every embedded method is the library's lines, verbatim, where it says")
  func embeddedLinesMatchTheSources() throws {
    for method in LibrarySource.embedded {
      let url = Self.packageRoot.appendingPathComponent(method.file)
      let lines = try String(contentsOf: url, encoding: .utf8)
        .split(separator: "\n", omittingEmptySubsequences: false)
      guard method.firstLine >= 1, method.lastLine <= lines.count,
        method.firstLine <= method.lastLine
      else {
        Issue.record("\(method.header) is outside the file: \(Self.rerun)")
        continue
      }
      let slice = lines[(method.firstLine - 1)..<method.lastLine]
      let indent = String(
        slice.first { $0.contains("func \(method.name)") }?.prefix { $0 == " " } ?? "")
      let current = slice.map { $0.hasPrefix(indent) ? $0.dropFirst(indent.count) : $0[...] }
        .joined(separator: "\n")
      #expect(
        current == method.text,
        "\(method.scope).\(method.name) differs from \(method.header): \(Self.rerun)")
    }
  }

  @Test("the script re-run on the current sources writes the committed file")
  func scriptOutputIsCommitted() throws {
    let output = FileManager.default.temporaryDirectory
      .appendingPathComponent("LibrarySource+Embedded-\(UUID().uuidString).swift")
    defer { try? FileManager.default.removeItem(at: output) }
    let script = Process()
    script.executableURL = Self.packageRoot.appendingPathComponent("scripts/embed-library-source")
    script.arguments = ["--output", output.path]
    try script.run()
    script.waitUntilExit()
    try #require(script.terminationStatus == 0, "scripts/embed-library-source failed")
    let fresh = try String(contentsOf: output, encoding: .utf8)
    let committed = try String(
      contentsOf: Self.packageRoot.appendingPathComponent(Self.embeddedFile), encoding: .utf8)
    #expect(fresh == committed, "\(Self.embeddedFile) is stale: \(Self.rerun)")
  }

  @Test("each built-in scope shows its own enter and exit, each under a file:lines header")
  func eachScopeHasEnterAndExit() throws {
    let files = [
      "timeout": "AsyncScope/Timeout.swift", "runner": "AsyncScope/Runner.swift",
      "process": "AsyncScope/ProcessScope.swift", "group": "AsyncScope/TaskGroupScope.swift",
      "scope": "ScopeLab/Run/DemoScope.swift",
    ]
    #expect(LibrarySource.scopes == ["timeout", "runner", "process", "group", "scope"])
    #expect(Set(LibrarySource.embedded.map(\.scope)) == Set(LibrarySource.scopes))
    for scope in LibrarySource.scopes {
      let text = try #require(LibrarySource.text(for: scope), "no text for \(scope)")
      #expect(text.contains("func enter("), "\(scope) has no enter")
      #expect(text.contains("func exit("), "\(scope) has no exit")
      let headers = text.split(separator: "\n").filter { $0.hasPrefix("// Sources/") }
      #expect(headers.count == LibrarySource.methods(of: scope).count)
      let file = try #require(files[scope])
      for header in headers {
        #expect(header.hasPrefix("// Sources/\(file):"), "\(header)")
        #expect(header.wholeMatch(of: /\/\/ [A-Za-z\/]+\.swift:\d+-\d+/) != nil, "\(header)")
      }
      #expect(!text.hasSuffix("\n"))
    }
  }

  @Test("timeout and group show the runBody that runs their body")
  func runBodyWhereItMatters() throws {
    for scope in ["timeout", "group"] {
      let text = try #require(LibrarySource.text(for: scope))
      #expect(text.contains("public func runBody<"), "\(scope) has no runBody")
    }
    #expect(LibrarySource.text(for: "timeout")?.contains("@specialized") == true)
  }

  @Test("a scope that is not built in has no text")
  func unknownScope() {
    #expect(LibrarySource.text(for: "nursery") == nil)
    #expect(LibrarySource.text(for: "") == nil)
    #expect(LibrarySource.text(for: "Timeout") == nil)
  }
}
