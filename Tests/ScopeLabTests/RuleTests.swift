import Foundation
import Testing

@testable import ScopeLab

/// The rules a run keeps: every code that `why`, the audit, the lessons, the help, the
/// README or the DocC catalog cites is defined in Lessons/rules.md, and the REPL shows it.
@Suite struct RuleTests {
  /// The repository, from this file's place in it.
  static let root: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
  }()

  /// The rule codes cited in the files under `folders` (and README.md), by file.
  static func citedCodes() throws -> [String: Set<String>] {
    let pattern = try NSRegularExpression(
      pattern: #"\b(?:W[1-9]|TO[1-9]|PR[1-9]|TG[1-9]|REPL[1-9]|RUNNER)\b"#)
    var cited: [String: Set<String>] = [:]
    var files = [root.appendingPathComponent("README.md")]
    for folder in ["Sources", "Lessons"] {
      let enumerator = FileManager.default.enumerator(
        at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
      while let url = enumerator?.nextObject() as? URL {
        if ["swift", "md"].contains(url.pathExtension) { files.append(url) }
      }
    }
    for file in files {
      let text = try String(contentsOf: file, encoding: .utf8)
      let range = NSRange(text.startIndex..., in: text)
      for match in pattern.matches(in: text, range: range) {
        guard let swiftRange = Range(match.range, in: text) else { continue }
        cited[String(text[swiftRange]), default: []].insert(file.lastPathComponent)
      }
    }
    return cited
  }

  @Test func everyCitedCodeIsDefined() throws {
    let cited = try Self.citedCodes()
    #expect(cited["TO3"] != nil && cited["REPL1"] != nil, "the scan found the usual codes")
    let defined = Set(Rule.all.map(\.code))
    for (code, files) in cited.sorted(by: { $0.key < $1.key }) {
      #expect(defined.contains(code), "\(code) is cited in \(files.sorted()) but not defined")
    }
  }

  @Test func everyRuleHasACodeATitleAndText() {
    #expect(Rule.all.count == 25)
    #expect(Set(Rule.all.map(\.code)).count == Rule.all.count, "codes are unique")
    for rule in Rule.all {
      #expect(!rule.title.isEmpty && rule.text.count > 40, "\(rule.code)")
      #expect(!rule.group.isEmpty, "\(rule.code)")
    }
  }

  @Test func theREPLListsAndExplainsThem() async {
    let harness = SessionHarness()
    let listed = await harness.execute("rules")
    #expect(
      listed.output.contains("  TO3     When the result is TimeoutError\n"), "\(listed.output)")
    #expect(listed.output.hasPrefix("W: every scope\n  W1      "))
    let explained = await harness.execute("help to3")
    #expect(explained.output.hasPrefix("TO3 - When the result is TimeoutError\n  Only when"))
    #expect(explained.output.split(separator: "\n").allSatisfy { $0.count <= 80 })
    let unknown = await harness.execute("help TO9")
    unknown.expectOneLineError(containing: "no command, statement or rule 'TO9'")
    await harness.execute("rules x").expectOneLineError(containing: "'rules' takes no arguments")
    // A rule and a statement of one name: the case says which.
    #expect(await harness.execute("help RUNNER").output.hasPrefix("RUNNER - "))
    #expect(await harness.execute("help runner").output.hasPrefix("usage: runner"))
  }
}
