import AsyncScope

/// What a file driving the session (a replay) may do: checked where a command would act.
extension Session {
  /// `nil` when the session may do `item`; otherwise the refusal, already reported: a
  /// file drives this session and the person did not agree to it.
  func refusal(withoutConsentTo item: Consent.Item) -> CommandResult? {
    guard let consent, !consent.allows(item) else { return nil }
    let what = item.program.map { " (\($0.oneLine.echoed(limit: 120)))" } ?? ""
    return fail(
      "not run: this \(item.effect)\(what), and it was not in the list you agreed to"
        + " when the replay began")
  }
}

extension String {
  /// A program on one line, as `history` keeps one typed over several lines.
  var oneLine: String {
    (try? Program(parsing: self))?.formatted(.singleLine)
      ?? split(separator: "\n").joined(separator: " ")
  }
}
