import AsyncScope
import LineEditor

#if canImport(Glibc)
  import Glibc
#endif

/// Grading: the rule programs run one by one (a compiled Swift program per rule, or the
/// Python server's forked child per rule), each judged by its verdict line, its end and
/// the trace's audit.
extension CheckCommandCore {
  /// Grades `rules` in order, passing each verdict to `deliver` as it comes; stops early
  /// when the calling task is cancelled.
  static func grade(
    _ rules: [Rule], battery: RuleBattery, width: Int?,
    deliver: @escaping @Sendable (Graded) -> Void
  ) async {
    switch battery.programs {
    case .perRule(let arguments):
      for rule in rules where !Task.isCancelled {
        let graded = await grade(rule, battery: battery, arguments: arguments(rule), width: width)
        deliver(graded)
        if case .invalid = graded.verdict { return }
      }
    case .served(let arguments):
      await serve(rules, battery: battery, arguments: arguments(rules), width: width, deliver)
    }
  }

  /// What one rule's program printed so far: its trace events and its verdict.
  private struct RuleOutput: Sendable {
    var events: [TraceEvent] = []
    var verdict: Verdict?

    /// Takes one line of the program's output.
    mutating func take(_ line: String) {
      guard case .event(let event)? = try? PythonTracer.decode(line) else { return }
      if case .print(let text) = event.kind, text.hasPrefix(verdictPrefix) {
        verdict = CheckCommandCore.verdict(String(text.dropFirst(verdictPrefix.count)))
        return
      }
      events.append(event)
    }
  }

  /// Runs one rule's program under the tracer: its verdict, and its trace as text (the
  /// verdict line left out).
  static func grade(
    _ rule: Rule, battery: RuleBattery, arguments: [String], width: Int?
  ) async -> Graded {
    let printed = Locked(RuleOutput())
    let runner = battery.runner
    let finished: PythonRunner.Finished
    do {
      finished = try await runner.run(arguments: arguments) { line in
        printed.withLock { $0.take(line) }
      }
    } catch {
      let reason = PythonRunner.describeSpawnFailure(error, runner.interpreter)
      return Graded(
        rule: rule, verdict: .invalid("could not run \(runner.interpreter): \(reason)"), trace: "")
    }
    let failure =
      battery.language == .swift ? Self.crashLine(finished.errors) : finished.lastErrorLine
    return judge(
      rule, printed.withLock { $0 }, timedOut: finished.stopped != nil && !Task.isCancelled,
      timeout: runner.timeout, failure: failure, language: battery.language, width: width)
  }

  /// The end of one rule's part of the Python server's output (`scopelab_check.py`): a
  /// JSON line of its own.
  struct RuleEnd: Equatable {
    /// Whether the rule's program was stopped at its time limit.
    var timedOut: Bool
    /// The last line its program wrote on standard error.
    var lastErrorLine: String?

    init?(_ line: String) {
      guard line.hasPrefix(#"{"event": "check-rule-end""#),
        let fields = try? FlatJSON.parseObject(line)
      else { return nil }
      timedOut = fields["stopped"] == .bool(true)
      lastErrorLine = fields["error"]?.string
    }
  }

  /// Runs the Python server for every rule, grading each rule at the end of its part.
  private static func serve(
    _ rules: [Rule], battery: RuleBattery, arguments: [String], width: Int?,
    _ deliver: @escaping @Sendable (Graded) -> Void
  ) async {
    var runner = battery.runner
    runner.timeout = (ruleTimeout + ruleGrace + .seconds(2)) * rules.count
    // The rule under way (its index) and what its program printed so far.
    let state = Locked((next: 0, printed: RuleOutput()))
    let language = battery.language
    let finished: PythonRunner.Finished
    do {
      finished = try await runner.run(arguments: arguments) { line in
        guard let end = RuleEnd(line) else {
          state.withLock { $0.printed.take(line) }
          return
        }
        let (index, printed) = state.withLock { state in
          defer { (state.next, state.printed) = (state.next + 1, RuleOutput()) }
          return (state.next, state.printed)
        }
        guard index < rules.count else { return }
        deliver(
          judge(
            rules[index], printed, timedOut: end.timedOut, timeout: ruleTimeout,
            failure: end.lastErrorLine, language: language, width: width))
      }
    } catch {
      let reason = PythonRunner.describeSpawnFailure(error, runner.interpreter)
      deliver(
        Graded(
          rule: rules[0], verdict: .invalid("could not run \(runner.interpreter): \(reason)"),
          trace: ""))
      return
    }
    // The server ended before every rule's end: interrupted, stopped, or it failed.
    let (next, printed) = state.withLock { ($0.next, $0.printed) }
    guard !Task.isCancelled, next < rules.count else { return }
    deliver(
      judge(
        rules[next], printed, timedOut: finished.stopped != nil, timeout: runner.timeout,
        failure: finished.lastErrorLine, language: language, width: width))
    for rule in rules[(next + 1)...] {
      deliver(
        Graded(
          rule: rule, verdict: .broken("the check's Python ended before this rule's program ran"),
          trace: ""))
    }
  }

  /// The verdict of one rule from what its program printed (`timedOut`: it was stopped
  /// after `timeout`; `failure`: what it said last on standard error), and its trace as
  /// text (the verdict line left out).
  private static func judge(
    _ rule: Rule, _ printed: RuleOutput, timedOut: Bool, timeout: Duration, failure: String?,
    language: TraceCommandCore.Language, width: Int?
  ) -> Graded {
    let events = printed.events
    let text = CapturedOutput()
    var sink = TextTraceSink(
      output: text, palette: .plain, width: width.map { max(TextLayout.minimumWidth, $0) })
    if language == .python { sink.cancellationName = "CancelledError" }
    // The rule program's own outcome (its result line) is not the scope's: left out.
    for event in events {
      if case .result = event.kind { continue }
      sink.record(event)
    }
    if timedOut {
      // Stopped by the time limit: whatever it printed after SIGINT does not count.
      return Graded(
        rule: rule,
        verdict: .broken(
          "the rule's program did not finish in \(timeout): the scope's enter or exit"
            + " never returned"), trace: text.text)
    }
    guard var result = printed.verdict else {
      let ending = failure ?? "it ended without a verdict"
      return Graded(
        rule: rule, verdict: .broken("the rule's program failed: \(ending)"), trace: text.text)
    }
    if case .held = result {
      // Exit once (W1, W2): what the trace says, whatever the program saw. A compiled
      // program tells no result (its exit status does): it ended, as its verdict says.
      var audited = events
      if !events.contains(where: { if case .result = $0.kind { true } else { false } }) {
        audited.append(
          TraceEvent(
            time: events.last?.time ?? .zero, scope: nil, depth: 0,
            kind: .result(outcome: "ok", value: nil, context: nil, detail: nil)))
      }
      let problems = RunAudit.audit(audited, leftover: { _ in nil }).problems
      if !problems.isEmpty {
        result = .broken(problems.joined(separator: "; "))
      }
    }
    return Graded(rule: rule, verdict: result, trace: text.text)
  }

  /// What a compiled program that crashed said first (`Fatal error: ...`, a runtime check's
  /// words), before its stack trace.
  static func crashLine(_ errors: String) -> String? {
    errors.split(whereSeparator: \.isNewline).first { line in
      let text = line.trimmingPrefix(while: \.isWhitespace)
      return !text.isEmpty && !(text.first?.isNumber ?? false)
        && text != "Current stack trace:"
    }.map { line in
      var text = String(line.trimmingPrefix(while: \.isWhitespace))
      while text.last?.isWhitespace == true { text.removeLast() }
      return text
    }
  }

  /// The verdict line of a rule's program, without its prefix.
  static func verdict(_ line: String) -> Verdict {
    for (word, make) in [
      ("held", Verdict.held), ("broken", Verdict.broken), ("invalid", Verdict.invalid),
    ] where line.hasPrefix(word) {
      var rest = line.dropFirst(word.count)
      if rest.hasPrefix(":") { rest = rest.dropFirst() }
      return make(String(rest.drop { $0 == " " }))
    }
    return .broken("an unreadable verdict: \(line)")
  }
}
