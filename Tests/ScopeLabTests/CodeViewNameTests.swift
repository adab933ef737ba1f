import AsyncScope
import Foundation
import TestSupport
import Testing

@testable import ScopeLab

/// Every name a program may hold - error names in `throw` and `catch`, scope names - and
/// every parameter becomes valid code in both views: a Python class name where the name
/// is none (`Key-Error`, `None`, `print`, `tg1`), distinct for distinct names, that still
/// reports the program's own name; in Swift a string, and a parameter constant that
/// nothing of the view's own hides. Names are generated as the lexer accepts them, from a
/// fixed seed, so a failure reproduces.
@Suite("Code views: every name becomes valid code", .serialized, .timeLimit(.minutes(3)))
struct CodeViewNameTests {
  /// Names that are valid in a program but nasty in Python or Swift.
  static let nastyNames = [
    "Key-Error", "Key.Error", "Key_Error", "_Key_Error", "_", "__init__", "None", "True", "class",
    "def", "self", "Self", "Type", "type", "print", "Exception", "TimeoutError", "SystemExit",
    "KeyboardInterrupt", "ExceptionGroup", "main", "emit", "note", "error_name", "Traced", "tg1",
    "task2", "timeout1", "process3", "SLEEP", "GRACE", "asyncio", "value", "error", "Scope",
    "Process", "Runner", "busy", "async", "await", "match", "Item", "item", "T0", "IDS", "a-",
    "a.", "a--b", "caf\u{E9}", "\u{4E2D}\u{6587}", "\u{FB01}x", "fix", "x\u{0663}", "x\u{B2}",
    "\u{01C5}a", "CancellationError", "EnterError", "ExitError", "KeyError", "let", "func",
    "catch", "throw", "try", "return", "in",
  ]

  /// A name the lexer accepts: a letter or `_`, then letters, digits, `_`, `-`, `.`.
  static func randomName(_ random: inout SeededRandom) -> String {
    let first: [Character] = ["a", "Z", "_", "\u{E9}", "\u{436}", "\u{4E2D}", "\u{FB01}", "K"]
    let rest: [Character] = [
      "a", "Z", "0", "9", "_", "-", ".", "\u{E9}", "\u{663}", "\u{B2}", "\u{2167}", "e",
    ]
    var name = String(first[Int.random(in: 0..<first.count, using: &random)])
    for _ in 0..<Int.random(in: 0...6, using: &random) {
      name.append(rest[Int.random(in: 0..<rest.count, using: &random)])
    }
    return name
  }

  /// A program that throws, catches and names scopes with `names` (at least four).
  static func program(_ names: [String]) -> String {
    "scope \(names[0]) { try { throw \(names[1]) } catch \(names[2]) { print a } "
      + "catch \(names[1]) { throw \(names[3]) } }; try { throw \(names[2]) } "
      + "catch \(names[3]) { }"
  }

  /// The programs of the test: the nasty names in fours, then generated ones.
  static func programs() -> [Program] {
    var random = SeededRandom(seed: 15)
    var sources: [String] = []
    let nasty = nastyNames
    for start in stride(from: 0, to: nasty.count, by: 4) {
      sources.append(program((0..<4).map { nasty[(start + $0) % nasty.count] }))
    }
    for _ in 0..<150 {
      sources.append(program((0..<4).map { _ in randomName(&random) }))
    }
    return sources.compactMap { try? Program(parsing: $0) }
  }

  @Test("every name the lexer accepts is a name, and the programs parse")
  func generatedNamesAreAccepted() {
    var random = SeededRandom(seed: 15)
    for _ in 0..<500 {
      let name = Self.randomName(&random)
      #expect(Names.isValid(name), "\(name)")
      #expect(throws: Never.self, "\(name)") { try Program(parsing: "throw \(name)") }
    }
    #expect(Self.programs().count > 160)
  }

  @Test("the Python view is valid Python, traced or not, for every name")
  func pythonIsValid() async throws {
    let programs = Self.programs()
    let scripts = programs.flatMap { program in
      [true, false].map { PythonView.render(program, parameters: .builtIn, traced: $0) }
    }
    #expect(try await compilePython(scripts) == 0)
  }

  @Test("distinct names get distinct Python classes, each reporting the program's name")
  func pythonNamesAreDistinct() throws {
    for program in Self.programs() {
      let script = PythonView.render(program, parameters: .builtIn)
      var classes: [String: String] = [:]  // identifier -> the name it reports
      for line in script.split(separator: "\n").map(String.init) {
        if line.hasPrefix("class "), line.hasSuffix("(Exception):") {
          let identifier = String(line.dropFirst("class ".count).dropLast("(Exception):".count))
          #expect(classes[identifier] == nil, "\(identifier) declared twice:\n\(script)")
          classes[identifier] = identifier
        } else if let dot = line.range(of: ".__name__ = \"") {
          let identifier = String(line[..<dot.lowerBound])
          classes[identifier] = String(line[dot.upperBound...].dropLast())
        }
      }
      let reported = Array(classes.values)
      #expect(Set(reported).count == reported.count, "two classes, one name:\n\(script)")
      for (identifier, name) in classes where identifier != name {
        #expect(identifier.hasPrefix("_"), "\(identifier) for \(name)")
      }
    }
  }

  @Test("a renamed class is raised and caught as the program says, under its own name")
  func pythonRunsRenamedClasses() async throws {
    let pairs = [
      ("Key-Error", "Key.Error"), ("Key.Error", "Key_Error"), ("_Key_Error", "Key-Error"),
      ("None", "_None"), ("print", "_print"), ("SystemExit", "tg1"), ("caf\u{E9}", "caf_"),
    ]
    var scripts: [String] = []
    var expected: [String] = []
    for (one, other) in pairs {
      for (thrown, decoy) in [(one, other), (other, one)] {
        let source =
          "try { throw \(thrown) } catch \(decoy) { print wrong } catch \(thrown) { print right }; "
          + "throw \(thrown)"
        let program = try Program(parsing: source)
        scripts.append(PythonView.render(program, parameters: .builtIn))
        expected.append("right\n=> \(thrown)\n")
      }
    }
    let results = try await runPython(scripts)
    for (result, expected) in zip(results, expected) {
      #expect(result.status == 1 && result.output == expected, "\(result) \(expected)")
    }
  }

  @Test("a lesson's parameter constant is not overwritten by the tracing section's names")
  func pythonConstantsStand() async throws {
    var parameters = Parameters.builtIn
    for name in ["t0", "ids", "depth", "started"] {
      parameters.declare(name, default: UserDuration(.zero), summary: "")
    }
    let program = try Program(
      parsing: "scope A { sleep $t0; sleep $ids; sleep $depth; sleep $started }")
    let script = PythonView.render(program, parameters: parameters, traced: true)
    let result = try #require(try await runPython([script]).first)
    let last = result.output.split(separator: "\n").last ?? ""
    #expect(last.contains("\"outcome\": \"ok\""), "\(result)")
  }

  @Test("the Swift view parses for nasty names, and parameters are not hidden")
  func swiftIsValid() throws {
    var parameters = Parameters.builtIn
    let local = ["group", "error", "value", "flow2", "scope3", "self", "in", "print", "main"]
    for name in local { parameters.declare(name, default: UserDuration(.zero), summary: "") }
    let uses = local.map { "sleep $\($0)" }.joined(separator: "; ")
    var sources = stride(from: 0, to: Self.nastyNames.count, by: 4).map { start in
      Self.program((0..<4).map { Self.nastyNames[(start + $0) % Self.nastyNames.count] })
    }
    sources.append("group { task { \(uses) } }; try { throw Key-Error } catch { \(uses) }")
    let views = try sources.map { source in
      SwiftView.render(try Program(parsing: source), parameters: parameters)
    }
    let constants = views.last?.split(separator: "\n").filter { $0.hasPrefix("    let ") } ?? []
    #expect(
      constants.map { $0.split(separator: ":")[0] }
        == [
          "    let group_", "    let error_", "    let value_", "    let flow2_",
          "    let scope3_", "    let `self`", "    let `in`", "    let print_", "    let main_",
        ])
    #expect(try swiftParse(views) == 0)
  }

  /// `swiftc -parse` on `sources` (one process for all): its exit status.
  private func swiftParse(_ sources: [String]) throws -> Int32 {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftview-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var files: [String] = []
    for (index, source) in sources.enumerated() {
      let file = directory.appendingPathComponent("view\(index).swift")
      try source.write(to: file, atomically: true, encoding: .utf8)
      files.append(file.path)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["--default-signal=TERM,INT", "swiftc", "-parse"] + files
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }
}
