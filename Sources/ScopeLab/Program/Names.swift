/// The rules for names: scope names (`scope A`) and error names (`throw KeyError`).
enum Names {
  /// Whether `text` is a name: a letter or `_`, then letters, digits, `_`, `-`, `.`.
  static func isValid(_ text: String) -> Bool {
    problem(with: text) == nil
  }

  /// Why `text` is not a name, or `nil` when it is one.
  static func problem(with text: String) -> String? {
    guard let first = text.first else { return "a name cannot be empty" }
    let valid =
      (first.isLetter || first == "_")
      && text.allSatisfy { $0.isLetter || $0.isNumber || "_-.".contains($0) }
    guard valid else {
      return "'\(shortened(text))' is not a name - use letters, digits, '_', '-' and '.', "
        + "starting with a letter"
    }
    return nil
  }

  /// `text`, cut to 40 characters for a message.
  static func shortened(_ text: String) -> String {
    text.count > 40 ? String(text.prefix(37)) + "..." : text
  }
}
