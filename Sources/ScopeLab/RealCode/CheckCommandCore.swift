import AsyncScope
import LineEditor

#if canImport(Glibc)
  import Glibc
#endif

/// `scopelab check FILE.py|FILE.swift --scope NAME --kind timeout|scope [--python PATH]`,
/// apart from argument parsing and signals: grades the learner's own scope against the
/// rules (SEMANTICS.md, each in the reading of the file's language: its PY section for
/// Python, the rules as written - sticky, cooperative cancellation - for Swift).
///
/// A Swift file's scope (conforming to AsyncScope's protocol) is graded by one program
/// compiled from the file and the rule programs (`CheckCommandCore+Swift.swift`), run once
/// per rule, traced; `--kind timeout` builds it as `NAME(duration)`, as `Timeout` is built.
///
/// For Python, each rule is a small asyncio program (`scopelab_check.py`, embedded) run
/// under the tracer (``PythonTracer/script``). One Python serves the whole check: it
/// imports asyncio and the tracer's modules once and forks a child per rule, in a process
/// group of its own, killed with whatever it left once it ended or after the time limit,
/// so no rule spoils the next. Each rule's program imports the learner's file as a module
/// afresh - its `if __name__ == "__main__":` part does not run, anything else at its top
/// level does - looks NAME up in it (a dotted NAME follows attributes, so `--scope
/// asyncio.timeout` grades CPython's own timeout in a file that imports asyncio), builds
/// the scope as `NAME(delay)` for `--kind timeout` (as `asyncio.timeout(delay)`) or
/// `NAME()` for `--kind scope`, and says last whether the rule held. A rule also breaks when the trace's audit finds a scope that exited twice
/// or never (W1, W2). A broken rule is printed with the trace of its program.
///
/// Exit status: 0 every rule held, 1 a rule broken, 2 invalid input (no such file, a
/// syntax or compile error - `FILE:LINE: message` -, no such scope, a NAME that does not
/// build an async context manager or AsyncScope, no usable Python or swiftc), 130
/// interrupted.
public struct CheckCommandCore: Sendable {
  /// What the learner's scope is, which decides the rules and how it is built.
  public enum Kind: String, Sendable, CaseIterable {
    /// Built as `NAME(delay)` (Python) or `NAME(duration)` (Swift); graded against W1-W4
    /// and TO1-TO6.
    case timeout
    /// Built as `NAME()`; graded against W1-W4.
    case scope
  }

  /// One rule's program.
  public struct Rule: Sendable, Equatable {
    /// The program's name in `scopelab_check.py`.
    public var key: String
    /// The rule's name in SEMANTICS.md.
    public var id: String
    /// What the rule asks, in a few words.
    public var title: String
  }

  public var file: String
  public var scope: String
  public var kind: Kind
  public var palette: Palette
  /// `--python PATH`; `python3` on PATH by default.
  public var python: String?
  /// The columns the report is fitted to (``TextLayout``); `nil` leaves its lines as long
  /// as they are.
  public var width: Int?

  public init(
    file: String, scope: String, kind: Kind, palette: Palette = .plain, python: String? = nil
  ) {
    self.file = file
    self.scope = scope
    self.kind = kind
    self.palette = palette
    self.python = python
  }

  /// The rules graded for `kind` in `language`, in the order they run, each titled in
  /// that language's reading where the two differ (SEMANTICS.md, its PY section for
  /// Python).
  public static func rules(for kind: Kind, language: TraceCommandCore.Language) -> [Rule] {
    let python = language == .python
    let cancellation = python ? "CancelledError" : "CancellationError"
    /// A rule titled in this reading: the Python one's or the Swift one's words.
    func rule(_ key: String, _ id: String, python inPython: String, swift inSwift: String) -> Rule {
      Rule(key: key, id: id, title: python ? inPython : inSwift)
    }
    var rules = [
      Rule(key: "W1", id: "W1", title: "an enter that fails runs no body and no exit"),
      Rule(key: "W2", id: "W2", title: "exit runs once on every way out"),
      Rule(key: "W3", id: "W3", title: "exit sees the body's error; it may suppress it"),
      Rule(key: "W4", id: "W4", title: "a cancellation it did not cause propagates"),
    ]
    if kind == .timeout {
      rules += [
        Rule(key: "TO3", id: "TO3", title: "its own deadline becomes TimeoutError"),
        Rule(
          key: "TO3-outside", id: "TO3",
          title: "an outside cancellation after the deadline fired stays \(cancellation)"),
        rule(
          "TO1", "TO1", python: "the task is usable after a handled timeout",
          swift: "a handled timeout leaves the calling task uncancelled"),
        Rule(key: "TO2", id: "TO2", title: "the scope returns only after its body has finished"),
        Rule(key: "TO4", id: "TO4", title: "an error after the deadline propagates as itself"),
        rule(
          "TO4-value", "TO4",
          python: "a body that swallows its CancelledError completes, with no TimeoutError",
          swift: "a body that ignores its cancellation returns its value"),
        Rule(key: "TO5", id: "TO5", title: "nested deadlines: the one that passed converts"),
        Rule(
          key: "TO5-equal", id: "TO5",
          title: "equal nested deadlines: the outer one converts, every time"),
        rule(
          "TO6", "TO6", python: "a deadline already passed: TimeoutError at once",
          swift: "a deadline already passed: TimeoutError at the first check for cancellation"),
      ]
    }
    return rules
  }

  /// The verdict of one rule's program.
  enum Verdict: Equatable {
    case held(String)
    case broken(String)
    case invalid(String)
  }

  static let verdictPrefix = "scopelab-check: "

  /// How long one rule's program may take: a scope that hangs breaks its rule.
  static let ruleTimeout = Duration.seconds(10)
  /// After SIGINT at its time limit, how long a rule's program has to end by itself.
  static let ruleGrace = Duration.seconds(1)

  /// How to run the rule programs: which program, with which arguments, and the files to
  /// remove after the last rule.
  struct RuleBattery: Sendable {
    /// How the rule programs are started.
    enum Programs: Sendable {
      /// One run per rule, with these arguments (a compiled Swift program).
      case perRule(@Sendable (Rule) -> [String])
      /// One run for every rule, with these arguments: it tells where each rule's part of
      /// its output ends (``RuleEnd``) - the Python server.
      case served(@Sendable ([Rule]) -> [String])
    }

    var runner: PythonRunner
    var language: TraceCommandCore.Language
    var programs: Programs
    var temporary: (directory: String, files: [String])?

    init(
      runner: PythonRunner, language: TraceCommandCore.Language, programs: Programs,
      temporary: (directory: String, files: [String])? = nil
    ) {
      self.runner = runner
      self.language = language
      self.programs = programs
      self.temporary = temporary
    }

    func removeTemporary() {
      guard let temporary else { return }
      for file in temporary.files { RegularFile.remove(file) }
      RegularFile.removeDirectory(temporary.directory)
    }
  }

  /// The rule programs ready to run, or the exit status when there is nothing to run.
  enum Prepared {
    case ready(RuleBattery)
    case exit(Int32)
  }

  public func run(
    output: any TextOutput,
    errors: any TextOutput,
    controller: RunController = RunController()
  ) async -> Int32 {
    let shown = file.controlCharactersEscaped
    guard file.hasSuffix(".py") || file.hasSuffix(".swift") else {
      errors.write("error: \(shown): check grades a .py file or a .swift file\n")
      return 2
    }
    guard TraceCommandCore.isReadableFile(file, errors: errors) else { return 2 }
    let prepared =
      file.hasSuffix(".swift")
      ? await prepareSwift(errors: errors, controller: controller)
      : await preparePython(errors: errors, controller: controller)
    guard case .ready(let battery) = prepared else {
      if case .exit(let status) = prepared { return status }
      return 2
    }
    defer { battery.removeTemporary() }
    let rules = Self.rules(for: kind, language: battery.language)
    let (graded, delivery) = AsyncStream.makeStream(of: Graded.self)
    let task = Task { [width] in
      await Self.grade(rules, battery: battery, width: width.map { $0 - 4 }) {
        delivery.yield($0)
      }
      delivery.finish()
    }
    controller.begin(cancel: { task.cancel() })
    let status = await withTaskCancellationHandler {
      await report(graded, rules: rules, output: output, errors: errors, controller: controller)
    } onCancel: {
      task.cancel()
    }
    // A report that ended early (invalid input, Ctrl-C) stops the rules still to run.
    task.cancel()
    await task.value
    controller.end()
    guard let status, !controller.wasInterrupted else {
      return RunOutcome.interrupted(signal: controller.stopSignal).exitStatus
    }
    return status
  }

  /// One rule's verdict, and its program's trace as text.
  struct Graded: Sendable {
    var rule: Rule
    var verdict: Verdict
    var trace: String
  }

  /// Prints each verdict as it comes: the exit status (nil once interrupted).
  private func report(
    _ graded: AsyncStream<Graded>, rules: [Rule], output: any TextOutput,
    errors: any TextOutput, controller: RunController
  ) async -> Int32? {
    let shown = file.controlCharactersEscaped
    var broken: [Rule] = []
    for await (rule, verdict, trace) in graded.map({ ($0.rule, $0.verdict, $0.trace) }) {
      if controller.wasInterrupted { return nil }
      let name = "\(rule.id) \(rule.title)"
      switch verdict {
      case .invalid(let message):
        errors.write("error: \(message.controlCharactersEscaped)\n")
        return 2
      case .held, .broken:
        if rule == rules.first {
          // The file and the scope are usable: the first program loaded them.
          write(
            "check \(scope.controlCharactersEscaped) (--kind \(kind.rawValue)) in \(shown): "
              + "\(rules.count) rules", to: output)
        }
      }
      switch verdict {
      case .invalid: break
      case .held(let note):
        write(
          palette.good("held") + "    \(name): \(note.controlCharactersEscaped)", to: output,
          continuation: 8)
      case .broken(let message):
        broken.append(rule)
        write(
          palette.error("broken") + "  \(name): \(message.controlCharactersEscaped)", to: output,
          continuation: 8)
        output.write("  the trace that broke it:\n")
        for line in trace.split(separator: "\n", omittingEmptySubsequences: false)
        where !line.isEmpty {
          output.write("    \(line)\n")
        }
      }
    }
    if controller.wasInterrupted { return nil }
    if broken.isEmpty {
      output.write("every rule held (\(rules.count))\n")
      return 0
    }
    let names = broken.map { "\($0.id) (\($0.title))" }.joined(separator: ", ")
    write("\(broken.count) of \(rules.count) rules broken: \(names)", to: output, continuation: 2)
    return 1
  }

  /// Writes `line` fitted to ``width`` (its lines after the first indented by
  /// `continuation` columns, or as ``TextLayout`` finds from the line).
  private func write(_ line: String, to output: any TextOutput, continuation: Int? = nil) {
    guard let width else {
      output.write(line + "\n")
      return
    }
    let hanging = continuation.map { String(repeating: " ", count: $0) }
    output.write(
      TextLayout.wrap(line, width: width, continuation: hanging).joined(separator: "\n") + "\n")
  }

  /// The Python side: the rule programs and the tracer written to a temporary directory,
  /// one Python serving every rule (after a first check that the Python is usable).
  private func preparePython(errors: any TextOutput, controller: RunController) async -> Prepared {
    // The server stops a rule at its time limit (``serve`` sets one for the whole run);
    // at Ctrl-C it stops the rule under way within its grace, then ends.
    let runner = PythonRunner(
      interpreter: python ?? "python3", timeout: Self.ruleTimeout,
      stopGrace: Self.ruleGrace + .seconds(1))
    if let status = await runner.refuseUnusable(controller: controller, errors: errors) {
      return .exit(status)
    }
    let directory: String
    do {
      directory = try Self.temporaryDirectory()
    } catch {
      errors.write("error: \(error.description.controlCharactersEscaped)\n")
      return .exit(2)
    }
    let harness = directory + "/scopelab_check.py"
    let tracer = directory + "/scopelab_trace.py"
    let battery = RuleBattery(
      runner: runner, language: .python,
      programs: .served { [core = self] rules in
        [
          harness, "--serve", tracer, Self.secondsArgument(Self.ruleTimeout),
          Self.secondsArgument(Self.ruleGrace), core.file, core.scope, core.kind.rawValue,
        ] + rules.map(\.key)
      }, temporary: (directory, [harness, tracer]))
    for (path, text) in [
      (harness, String(decoding: PackageResources.scopelab_check_py, as: UTF8.self)),
      (tracer, PythonTracer.script),
    ] {
      do {
        try RegularFile.replace(path, with: text)
      } catch {
        battery.removeTemporary()
        errors.write("error: cannot write \(path.controlCharactersEscaped): \(error)\n")
        return .exit(2)
      }
    }
    return .ready(battery)
  }

  /// `duration` in seconds, as Python's `float()` reads it.
  static func secondsArgument(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    return String(Double(seconds) + Double(attoseconds) / 1e18)
  }

  /// A new directory of this user's for the files of one check, in `TMPDIR` (or /tmp).
  static func temporaryDirectory() throws(CheckSetupError) -> String {
    var base = ProcessEnvironment.value("TMPDIR") ?? "/tmp"
    while base.count > 1, base.hasSuffix("/") { base.removeLast() }
    do {
      return try RegularFile.createTemporaryDirectory(in: base, prefix: "scopelab-check")
    } catch {
      throw CheckSetupError(
        description: "no temporary directory in \(base.controlCharactersEscaped) (\(error))")
    }
  }

  /// Why the rule programs could not be set up, in one line.
  struct CheckSetupError: Error, CustomStringConvertible {
    var description: String
  }
}
