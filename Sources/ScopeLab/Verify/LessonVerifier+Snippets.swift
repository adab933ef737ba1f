import AsyncScope
import LineEditor

/// `verify` runs a file's checked snippets (``CheckedSnippet``): python under each of
/// ``LessonVerifier/pythons``, swift compiled with `swiftc -swift-version 6` in a
/// temporary directory and run. What they print (standard output, then standard error) is
/// compared with the output block by the transcript's line matcher - `...`, `[..]` and
/// timing windows work - and a mismatch is shown as the transcript check shows one.
extension LessonVerifier {
  /// How long `swiftc` may take on one snippet (a loaded machine compiles slowly).
  static let compileTimeout = Duration.seconds(180)

  /// The problems of the snippet blocks themselves (with the ``Checks/untimed`` checks),
  /// and of the python snippets `checks` select, one snippet after another, each under
  /// every interpreter side by side (each run mostly waits, in its own process; a file's
  /// snippets all at once would start dozens of interpreters on a small machine).
  func interpretedSnippetProblems(
    _ document: TranscriptDocument, consent: Consent, checks: Checks = .all
  ) async -> [Problem] {
    let (snippets, found) = CheckedSnippet.all(in: document)
    var problems =
      checks.contains(.untimed)
      ? found.map { Problem(file: document.name, line: $0.line, message: $0.message) } : []
    for snippet in snippets where snippet.kind == .python && Self.selects(checks, snippet) {
      problems += await self.problems(of: snippet, in: document.name, consent: consent)
    }
    return problems
  }

  /// The problems of the swift snippets `checks` select, one snippet at a time: a compile
  /// takes both cores of a small machine.
  func compiledSnippetProblems(
    _ document: TranscriptDocument, consent: Consent, checks: Checks = .all
  ) async -> [Problem] {
    var problems: [Problem] = []
    for snippet in CheckedSnippet.all(in: document).snippets
    where snippet.kind != .python && Self.selects(checks, snippet) {
      problems += await self.problems(of: snippet, in: document.name, consent: consent)
    }
    return problems
  }

  /// Whether `checks` run `snippet`: one whose output block holds a timing (`0.3s`, which
  /// a late run misses) is a ``Checks/timed`` check, any other an ``Checks/untimed`` one.
  static func selects(_ checks: Checks, _ snippet: CheckedSnippet) -> Bool {
    let timed = snippet.output.contains { !LinePattern($0.text, slack: 1).windows.isEmpty }
    return checks.contains(timed ? .timed : .untimed)
  }

  /// One snippet's problems, at its line.
  private func problems(of snippet: CheckedSnippet, in file: String, consent: Consent) async
    -> [Problem]
  {
    await problemsOf(snippet, in: file, consent: consent).map {
      var message = $0
      while message.hasSuffix("\n") { message.removeLast() }
      return Problem(file: file, line: snippet.line, message: message)
    }
  }

  /// What is wrong with one snippet, each a message for the snippet's line.
  private func problemsOf(
    _ snippet: CheckedSnippet, in file: String, consent: Consent
  ) async -> [String] {
    // Any error at all would do: a typo would pass for the claim.
    if snippet.kind == .swiftError, snippet.output.allSatisfy({ $0.text.trimmingSpaces().isEmpty })
    {
      return [
        "the ```swift check-error snippet's output block is empty: give the diagnostic it claims"
      ]
    }
    guard consent.allows(snippet.consentItem) else {
      return ["not run: it \(snippet.consentItem.effect), and that was not agreed to"]
    }
    switch snippet.kind {
    case .python:
      // Every interpreter at once; the problems in the order they are listed.
      let runs = await withTaskGroup(of: (Int, [String]).self) { group in
        for (index, interpreter) in pythons.enumerated() {
          group.addTask {
            (index, await pythonProblems(snippet, under: interpreter, in: file))
          }
        }
        return await group.reduce(into: [(Int, [String])]()) { $0.append($1) }
      }
      return runs.sorted { $0.0 < $1.0 }.flatMap(\.1)
    case .swift, .swiftError:
      return await swiftProblems(snippet, in: file)
    }
  }

  /// A python snippet run under `interpreter`, against its output block.
  private func pythonProblems(
    _ snippet: CheckedSnippet, under interpreter: String, in file: String
  ) async -> [String] {
    // Named when there are several: which version failed.
    let which = pythons.count > 1 ? " under \(interpreter)" : ""
    let runner = PythonRunner(
      interpreter: interpreter, timeout: snippetTimeout, stopGrace: .milliseconds(500))
    let run: PythonRunner.Finished
    do {
      run = try await runner.run(arguments: ["-c", snippet.source])
    } catch {
      return ["not run: \(interpreter) \(PythonRunner.describeSpawnFailure(error, interpreter))"]
    }
    return compared(snippet, run, in: file, which: which)
  }

  /// The run's output against the snippet's output block: nothing when it matches, else
  /// `snippet output differs` and the diff.
  private func compared(
    _ snippet: CheckedSnippet, _ run: PythonRunner.Finished, in file: String, which: String
  ) -> [String] {
    if run.stopped != nil {
      return [
        "the snippet did not finish within \(PythonRunner.seconds(snippetTimeout))\(which):"
          + " it was stopped (keep snippets tiny and fast)"
      ]
    }
    let actual = Self.lines(run.output + run.errors)
    let result = OutputMatcher(slack: slack).match(expected: snippet.output, actual: actual)
    guard !result.isMatch else { return [] }
    let diff = UnifiedDiff.hunks(
      expected: snippet.output, actual: actual, result: result,
      outputStartLine: snippet.outputLine + 1)
    let timings = result.timingProblems.map { $0 + "\n" }.joined()
    return [
      "snippet output differs\(which)\n--- \(file.controlCharactersEscaped)\n+++ what it printed\n"
        + diff + timings
    ]
  }

  /// A swift snippet: compiled in a temporary directory (removed after), then run; a
  /// `check-error` one must fail to compile with its output block's lines among the
  /// diagnostics.
  private func swiftProblems(_ snippet: CheckedSnippet, in file: String) async -> [String] {
    var base = ProcessEnvironment.value("TMPDIR") ?? "/tmp"
    while base.count > 1, base.hasSuffix("/") { base.removeLast() }
    let directory: String
    do {
      directory = try RegularFile.createTemporaryDirectory(in: base, prefix: "scopelab-snippet")
    } catch {
      return ["not run: no temporary directory in \(base) (\(error))"]
    }
    let source = directory + "/snippet.swift"
    let program = directory + "/snippet"
    defer {
      RegularFile.remove(source)
      RegularFile.remove(program)
      RegularFile.removeDirectory(directory)
    }
    do {
      try RegularFile.replace(source, with: snippet.source + "\n")
    } catch {
      return ["not run: cannot write \(source): \(error)"]
    }
    let compiler = PythonRunner(
      interpreter: "swiftc", timeout: Self.compileTimeout, stopGrace: .milliseconds(500))
    let compiled: PythonRunner.Finished
    do {
      compiled = try await compiler.run(
        arguments: ["-swift-version", "6", "-diagnostic-style", "llvm", source, "-o", program])
    } catch {
      return ["not run: swiftc \(PythonRunner.describeSpawnFailure(error, "swiftc"))"]
    }
    if compiled.stopped != nil {
      return [
        "swiftc did not finish within \(PythonRunner.seconds(Self.compileTimeout)): it was stopped"
      ]
    }
    // `snippet.swift:3:5: error: ...`, wherever the directory was.
    let diagnostics = Self.lines(compiled.output + compiled.errors).map {
      $0.replacing(directory + "/", with: "")
    }
    let failed = compiled.status != 0
    if snippet.kind == .swiftError {
      guard failed else {
        return ["the ```swift check-error snippet compiles: it is meant to fail to compile"]
      }
      let missing = snippet.output.filter { expected in
        let wanted = expected.text.trimmingSpaces()
        guard !wanted.isEmpty else { return false }
        let pattern = LinePattern("[..]" + wanted + "[..]", slack: slack)
        return !diagnostics.contains { pattern.compare(with: OutputLine($0)) == .match }
      }
      guard !missing.isEmpty else { return [] }
      return [
        "the compiler's diagnostics do not say "
          + missing.map { "'\($0.text.trimmingSpaces())' (line \($0.lineNumber))" }.joined(
            separator: ", ")
          + "; they are:\n" + diagnostics.prefix(20).map { "  " + $0 + "\n" }.joined()
      ]
    }
    guard !failed else {
      return [
        "the ```swift check snippet does not compile:\n"
          + diagnostics.prefix(20).map { "  " + $0 + "\n" }.joined()
      ]
    }
    let runner = PythonRunner(
      interpreter: program, timeout: snippetTimeout, stopGrace: .milliseconds(500))
    do {
      let run = try await runner.run(arguments: [])
      return compared(snippet, run, in: file, which: "")
    } catch {
      return ["not run: the compiled snippet \(PythonRunner.describeSpawnFailure(error, program))"]
    }
  }

  /// Output as lines, normalized as a transcript's are (no colour codes, `[PID]`).
  private static func lines(_ text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    let normalizer = OutputNormalizer()
    return lines.map(normalizer.normalize)
  }
}
