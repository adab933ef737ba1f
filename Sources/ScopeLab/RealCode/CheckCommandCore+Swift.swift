import AsyncScope
import LineEditor
import PosixThread

/// `scopelab check FILE.swift`: the rule programs (`scopelab_check_swift.txt`, embedded)
/// and the learner's file compiled into one program by ``SwiftProgram`` - with its module
/// and program caches, so a second check of the same file compiles nothing - which runs
/// once per rule, traced as `scopelab trace FILE.swift` runs a program, the rule's key its
/// argument.
///
/// How the two files become one program, without changing the learner's: a copy of the
/// file that starts with a `#sourceLocation` directive, so that swiftc names the learner's
/// file and lines in its diagnostics. A file with top-level code (a script) is the
/// program's `main.swift`, with one line before the directive that runs the rule and ends
/// the process - the learner's own top-level statements never run. A file with `@main`
/// is compiled as a library's file with its `@main` blanked out (five spaces: the columns
/// stay), and the rule programs get the entry point. Either way, as Python's
/// `if __name__ == "__main__":` under check, the learner's demo does not run. Limit: a
/// script's top-level variables are never initialised under check, so a scope that reads
/// one reads nothing (keep what the scope needs inside it).
extension CheckCommandCore {
  /// What the rule programs need to run, or the exit status when there is nothing to run.
  func prepareSwift(
    errors: any TextOutput, controller: RunController
  ) async -> Prepared {
    let shown = file.controlCharactersEscaped
    if python != nil {
      errors.write("error: --python applies to a .py file, not to \(shown)\n")
      return .exit(2)
    }
    guard Self.isSwiftName(scope) else {
      errors.write(
        "error: \(shown): '\(scope.controlCharactersEscaped)' is not the name of a Swift type\n")
      return .exit(2)
    }
    let source: [UInt8]
    let program: SwiftProgram
    do {
      source = try RegularFile.read(file, limit: RegularFile.textLimit, noun: "a Swift file")
      program = try SwiftProgram.locate()
    } catch SwiftProgram.Failure.unusable(let words) {
      errors.write("error: \(words.controlCharactersEscaped)\n")
      return .exit(2)
    } catch {
      errors.write("error: \(shown): \(error)\n")
      return .exit(2)
    }
    let inputs = SwiftCheckInputs(file: file, source: source, scope: scope, kind: kind)
    let compiler = PythonRunner(
      interpreter: program.compiler, timeout: .seconds(600), stopGrace: .milliseconds(500))
    let directory = Locked<String?>(nil)
    let built = await CompareCommandCore.cancellable(by: controller) {
      try await program.build(
        source: inputs.identity, parseAsLibrary: inputs.parseAsLibrary, file: file,
        inputs: {
          let written = try inputs.write(in: try Self.temporaryDirectory())
          directory.withLock { $0 = written.directory }
          return written.files
        },
        // The learner's warnings, never the rule programs'.
        warnings: { SwiftProgram.diagnostics($0, outside: directory.withLock { $0 }) },
        compile: { arguments in
          errors.write(
            "compiling the rule programs with \(shown) (swiftc; kept for the next check)...\n")
          return try await compiler.run(arguments: arguments)
        })
    }
    let written = directory.withLock { $0 }
    let path: String
    switch SwiftProgram.finish(
      built, temporary: written, files: SwiftCheckInputs.names, controller: controller,
      errors: errors, explain: { inputs.explain($0, directory: written ?? "") },
      describe: { error in
        if case SwiftProgram.Failure.unusable(let words) = error { return words }
        return "cannot compile the rule programs: \(error)"
      })
    {
    case .success(let built): path = built
    case .failure(let exit): return .exit(exit.status)
    }
    // Each rule's program takes well under a second; a scope that hangs breaks its rule.
    var runner = PythonRunner(
      interpreter: path, timeout: Self.ruleTimeout, stopGrace: Self.ruleGrace)
    runner.environment = [
      "SCOPELAB_TRACE": String(Syscall.processID()),
      // An uncaught error is one line on standard error, not a backtrace.
      "SWIFT_BACKTRACE": "enable=no",
    ]
    return .ready(RuleBattery(runner: runner, language: .swift, programs: .perRule { [$0.key] }))
  }

  /// A NAME the rule programs can write as Swift: a type's (or function's) name, maybe
  /// qualified (`Outer.Inner`) - nothing that could be more code.
  static func isSwiftName(_ name: String) -> Bool {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    return !parts.isEmpty
      && parts.allSatisfy { part in
        guard let first = part.unicodeScalars.first, first == "_" || first.properties.isXIDStart
        else { return false }
        return part.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isXIDContinue }
      }
  }
}

/// The files swiftc compiles for a Swift check: the learner's, copied as described at
/// ``CheckCommandCore`` (its Swift side), and the rule programs.
struct SwiftCheckInputs: Sendable {
  var file: String
  var source: [UInt8]
  var scope: String
  var kind: CheckCommandCore.Kind

  /// The files written in the temporary directory: the learner's copy, the rule programs,
  /// and for a file with `@main` the entry point.
  static let names = ["main.swift", "learner.swift", "scopelab_check.swift", "entry.swift"]

  /// Whether the learner's file declares its entry point (`@main`) rather than top-level
  /// code, as `trace` decides.
  var parseAsLibrary: Bool { SwiftProgram.hasMain(source) }

  /// The rule programs, NAME and the kind in place.
  var rules: String {
    let build = kind == .timeout ? "\(scope)(limit)" : "\(scope)()"
    return String(decoding: PackageResources.scopelab_check_swift_txt, as: UTF8.self)
      .replacing("SCOPELAB_BUILD", with: build)
      .replacing("SCOPELAB_KIND", with: kind.rawValue)
  }

  /// The learner's file as compiled: its lines (`@main` blanked in a library's file, a
  /// `#!` line made a comment: it would no longer be the file's first) after a directive
  /// that gives diagnostics its name and lines; in a script, after the line that runs the
  /// rule.
  var learner: String {
    var text = SwiftProgram.commentingHashbang(String(decoding: source, as: UTF8.self))
    if parseAsLibrary {
      text = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        let indent = line.prefix { $0 == " " || $0 == "\t" }
        let rest = line.dropFirst(indent.count)
        return rest.hasPrefix("@main") ? indent + "     " + rest.dropFirst(5) : line
      }.joined(separator: "\n")
    }
    let directive = "#sourceLocation(file: \"\(SwiftLiteral.escaped(file))\", line: 1)\n"
    return (parseAsLibrary ? "" : "await ScopelabCheckMain.run()\n") + directive + text
  }

  static let entry = """
    @main
    enum ScopelabCheckEntry {
      static func main() async { await ScopelabCheckMain.run() }
    }

    """

  /// Everything that decides the program, for the cache's key.
  var identity: [UInt8] {
    Array(learner.utf8) + [0] + Array(rules.utf8) + [0]
      + (parseAsLibrary ? Array(Self.entry.utf8) : [])
  }

  /// Writes the files in `directory`: their paths, in swiftc's order.
  func write(in directory: String) throws -> (directory: String, files: [String]) {
    let named: [(String, String)] =
      parseAsLibrary
      ? [("learner.swift", learner), ("scopelab_check.swift", rules), ("entry.swift", Self.entry)]
      : [("main.swift", learner), ("scopelab_check.swift", rules)]
    for (name, text) in named {
      try RegularFile.replace(directory + "/" + name, with: text)
    }
    return (directory, named.map { directory + "/" + $0.0 })
  }

  /// What to tell about a failed compile, from swiftc's `diagnostics` (llvm style): the
  /// learner's errors as swiftc gives them (`FILE:LINE:COLUMN: error: ...` and the source
  /// line), without what it said about the rule programs; when the learner's file has no
  /// error, one line on why NAME cannot be checked (no such scope, not an AsyncScope, not
  /// built so).
  func explain(_ diagnostics: String, directory: String) -> String {
    let blocks = Self.blocks(diagnostics)
    let inRules = { (header: String) in !directory.isEmpty && header.hasPrefix(directory + "/") }
    let learnerErrors = blocks.filter { !inRules($0.header) && $0.header.contains(": error: ") }
    let shown = file
    if !learnerErrors.isEmpty {
      return SwiftProgram.diagnostics(diagnostics, outside: directory.isEmpty ? nil : directory)
    }
    let rulesText = rules.split(separator: "\n", omittingEmptySubsequences: false)
    func line(containing marker: String) -> Int {
      (rulesText.firstIndex { $0.contains(marker) } ?? -1) + 1
    }
    let buildLine = line(containing: "static let make = ")
    let conformanceLine = line(containing: "isScope(ScopelabCheckLearner.make)")
    let errors = blocks.compactMap { block -> (line: Int, message: String)? in
      guard inRules(block.header), let range = block.header.firstRange(of: ": error: ") else {
        return nil
      }
      let place = block.header[..<range.lowerBound].split(separator: ":")
      let number = place.count >= 3 ? Int(place[place.count - 2]) ?? 0 : 0
      return (number, String(block.header[range.upperBound...]))
    }
    let built = kind == .timeout ? "\(scope)(duration)" : "\(scope)()"
    if let error = errors.first(where: { $0.line == buildLine }) {
      let first = scope.split(separator: ".").first.map(String.init) ?? scope
      if error.message == "cannot find '\(first)' in scope" {
        return "error: \(shown): no scope '\(scope)' in it\n"
      }
      let how =
        kind == .timeout
        ? "--kind timeout builds it with a Duration, as Timeout(.seconds(1))"
        : "--kind scope builds it with no arguments"
      return "error: \(shown): \(built): \(error.message) (\(how))\n"
    }
    if let error = errors.first(where: { $0.line == conformanceLine }) {
      if error.message.contains("conform to 'AsyncScope'") {
        return "error: \(shown): \(built) is not an AsyncScope (check enters it with withScope)\n"
      }
      return "error: \(shown): \(built): \(error.message)\n"
    }
    if let error = errors.first {
      return "error: \(shown): the rule programs do not compile with \(scope): \(error.message)\n"
    }
    return diagnostics.hasSuffix("\n") ? diagnostics : diagnostics + "\n"
  }

  /// swiftc's output split into diagnostics: each a header line (`PATH:LINE:COLUMN: kind:
  /// message`) and the lines after it, up to the next header.
  static func blocks(_ diagnostics: String) -> [(header: String, lines: [String])] {
    var blocks: [(header: String, lines: [String])] = []
    for line in diagnostics.split(separator: "\n", omittingEmptySubsequences: false) {
      let text = String(line)
      if isHeader(text) || blocks.isEmpty {
        blocks.append((text, [text]))
      } else if !text.isEmpty {
        blocks[blocks.count - 1].lines.append(text)
      }
    }
    return blocks
  }

  /// Whether `line` starts a diagnostic: `PATH:LINE:COLUMN: error|warning|note|remark: `.
  static func isHeader(_ line: String) -> Bool {
    for kind in [": error: ", ": warning: ", ": note: ", ": remark: "] {
      guard let range = line.firstRange(of: kind) else { continue }
      let place = line[..<range.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
      guard place.count >= 3 else { continue }
      let numbers = place.suffix(2)
      if numbers.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && Int($0) != nil }) {
        return true
      }
    }
    return false
  }
}
