/// `name=value`, as a parameter's setting is written everywhere: a lesson's and a
/// transcript's `set:` (`sleep=3s, timeout=2s`), `--set NAME=VALUE`, and what a learner
/// types after `set` by mistake.
public struct Assignment: Sendable, Equatable {
  /// The text before the first `=`, and after it, as written.
  public var name: String
  public var value: String

  /// `text` split at its first `=`; `nil` without one.
  public init?(_ text: some StringProtocol) {
    guard let equals = text.firstIndex(of: "=") else { return nil }
    name = String(text[..<equals])
    value = String(text[text.index(after: equals)...])
  }

  /// The name and the value without the spaces around them.
  public var trimmed: Assignment {
    var copy = self
    copy.name = name.trimmingSpaces()
    copy.value = value.trimmingSpaces()
    return copy
  }

  /// `sleep=3s, timeout=2s`: each item between commas, without the spaces around it.
  public static func items(_ list: String) -> [String] {
    list.split(separator: ",").map { String($0).trimmingSpaces() }
  }
}
