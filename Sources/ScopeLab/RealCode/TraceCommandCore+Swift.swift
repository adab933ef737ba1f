import AsyncScope
import LineEditor
import PosixThread

/// `scopelab trace FILE.swift`: the file compiled (or found in the cache) by
/// ``SwiftProgram``, then run with `SCOPELAB_TRACE` set, so that AsyncScope inside it
/// writes its events as lines on its standard output (AsyncScope's `TraceEnvironment`),
/// which ``TraceCommandCore/runTraced(runner:arguments:language:output:errors:controller:perfettoFile:)``
/// reads as it reads Python's tracer.
extension TraceCommandCore {
  func runSwift(
    output: any TextOutput,
    errors: any TextOutput,
    controller: RunController,
    perfettoFile: RegularFile.Output?
  ) async -> Int32 {
    let shown = file.controlCharactersEscaped
    let source: [UInt8]
    do {
      source = try RegularFile.read(file, limit: RegularFile.textLimit, noun: "a Swift file")
    } catch {
      errors.write("error: \(shown): \(error)\n")
      return 2
    }
    let program: SwiftProgram
    do {
      program = try SwiftProgram.locate()
    } catch {
      errors.write("error: \(Self.words(error).controlCharactersEscaped)\n")
      return 2
    }
    let compiler = PythonRunner(
      interpreter: program.compiler, timeout: .seconds(600), stopGrace: .milliseconds(500))
    let file = self.file
    let parseAsLibrary = SwiftProgram.hasMain(source)
    // A library's file (`@main`) may not start with `#!` (only a script, the main file,
    // may): it is compiled as a copy with the line made a comment, under a directive that
    // keeps the learner's name and lines.
    let copied = parseAsLibrary && SwiftProgram.hasHashbang(source)
    let identity =
      copied ? Array(SwiftProgram.commentedHashbang(source, named: file).utf8) : source
    let directory = Locked<String?>(nil)
    let built = await CompareCommandCore.cancellable(by: controller) {
      try await program.build(
        source: identity, parseAsLibrary: parseAsLibrary, file: file,
        inputs: {
          guard copied else { return [file] }
          let written = try CheckCommandCore.temporaryDirectory()
          directory.withLock { $0 = written }
          let copy = written + "/learner.swift"
          try RegularFile.replace(copy, with: String(decoding: identity, as: UTF8.self))
          return [copy]
        },
        warnings: { SwiftProgram.diagnostics($0, outside: directory.withLock { $0 }) },
        compile: { arguments in
          // A first run of this file: say why the trace does not start at once.
          errors.write("compiling \(shown) with swiftc (kept for the next run)...\n")
          return try await compiler.run(arguments: arguments)
        })
    }
    let path: String
    switch SwiftProgram.finish(
      built, temporary: directory.withLock { $0 }, files: ["learner.swift"],
      controller: controller, errors: errors, explain: { $0 }, describe: Self.words)
    {
    case .success(let built): path = built
    case .failure(let exit): return exit.status
    }
    // No time limit: the program runs until it ends or Ctrl-C stops it.
    var runner = PythonRunner(
      interpreter: path, timeout: .seconds(366 * 86_400), stopGrace: stopGrace)
    runner.environment = [
      "SCOPELAB_TRACE": String(Syscall.processID()),
      // An uncaught error is one line on standard error, not a backtrace.
      "SWIFT_BACKTRACE": "enable=no",
    ]
    return await runTraced(
      runner: runner, arguments: [], language: .swift, output: output, errors: errors,
      controller: controller, perfettoFile: perfettoFile)
  }

  private static func words(_ error: any Error) -> String {
    switch error {
    case SwiftProgram.Failure.unusable(let words): words
    case SwiftProgram.Failure.diagnostics(let words): words
    case let other: "cannot trace Swift: \(other)"
    }
  }

  /// How a compiled program ended, as the `result` event `run` would give it, and what
  /// the program wrote on standard error that the result does not already tell.
  static func swiftResult(
    _ finished: PythonRunner.Finished, seen: TraceState, interrupted: Bool, signal: String?
  ) -> (TraceEvent.Kind, rest: String) {
    if interrupted {
      let outcome = RunOutcome.interrupted(signal: signal)
      return (.result(outcome: outcome.name, value: nil, context: nil, detail: nil), "")
    }
    if finished.status == 0 {
      return (.result(outcome: "ok", value: nil, context: nil, detail: nil), finished.errors)
    }
    if let (name, context, detail) = SwiftProgram.topLevelError(
      in: finished.errors, lastLeft: seen.lastLeft)
    {
      // The runtime's own line (and the crash report after it) is what the result says.
      let rest = finished.errors.split(separator: "\n", omittingEmptySubsequences: false)
        .prefix { !$0.contains("Error raised at top level: ") }
        .joined(separator: "\n")
      return (.result(outcome: name, value: nil, context: context, detail: detail), rest)
    }
    let ending =
      finished.signal.map { "the program was killed by signal \($0)" }
      ?? "the program exited with status \(finished.status.map(String.init) ?? "?")"
    return (
      .result(outcome: "Error", value: nil, context: nil, detail: "Error: " + ending),
      finished.errors
    )
  }
}
