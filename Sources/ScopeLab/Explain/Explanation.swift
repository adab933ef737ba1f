/// Why a run ended as it did, in the words of Lessons/rules.md, naming the rule that decided it.
public struct Explanation: Sendable, Equatable {
  /// The outcome: `ok`, an error's name, `KeyboardInterrupt` or a stop signal's name.
  public let outcome: String
  /// The rule that decided the outcome (`TO3`, `W1`, `TG3`, ...); `nil` when no rule of the
  /// scope protocol was involved (a program with no scope).
  public let rule: String?
  /// One self-contained line: the outcome, the main reason and the rule, as in
  /// "TimeoutError: the deadline of timeout#1 passed at 2.000s while its body slept; the body
  /// ended with CancellationError and nothing outside was cancelling (TO3)".
  public let summary: String
  /// A few more lines, each naming its rule: the scopes the error passed through and the
  /// other steps that mattered (a refused suppress, a teardown, an inner timeout).
  public let lines: [String]

  public init(outcome: String, rule: String?, summary: String, lines: [String] = []) {
    self.outcome = outcome
    self.rule = rule
    self.summary = summary
    self.lines = lines
  }

  /// What `why` prints: the summary, then each line indented by two spaces.
  public var text: String {
    ([summary] + lines.map { "  " + $0 }).joined(separator: "\n")
  }
}
