extension String {
  /// Whether `parts` occur in this text in this order (not overlapping).
  func containsInOrder(_ parts: [String]) -> Bool {
    var rest = Substring(self)
    for part in parts {
      guard let range = rest.firstRange(of: part) else { return false }
      rest = rest[range.upperBound...]
    }
    return true
  }

  /// Without leading and trailing whitespace.
  func trimmingSpaces() -> String {
    var text = Substring(self)
    while text.first?.isWhitespace == true { text.removeFirst() }
    while text.last?.isWhitespace == true { text.removeLast() }
    return String(text)
  }
}
