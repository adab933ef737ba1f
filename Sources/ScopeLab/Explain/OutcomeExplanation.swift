public import AsyncScope

/// Explains a run's outcome from its trace: what `why` prints, and what the lessons show
/// after a prediction that did not hold.
public enum OutcomeExplanation {
  /// The most lines an explanation has under its summary.
  public static let maximumLines = 5

  /// Explains the run whose trace is `events`; the trace's `result` line is the outcome.
  public static func explain(_ events: [TraceEvent]) -> Explanation {
    let facts = TraceFacts(events)
    guard let result = facts.result else {
      return Explanation(
        outcome: "unknown", rule: nil, summary: "no outcome: the trace has no result line")
    }
    let reasoner = OutcomeReasoner(facts: facts, result: result)
    let finding = reasoner.finding()
    var lines = finding.lines + reasoner.notes(skipping: finding.explained)
    if lines.count > maximumLines {
      let more = lines.count - (maximumLines - 1)
      lines = Array(lines.prefix(maximumLines - 1)) + ["and \(more) more steps: see 'trace'"]
    }
    return Explanation(
      outcome: result.outcome, rule: finding.rule, summary: finding.summary, lines: lines)
  }
}
