extension String {
  func padded(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }

  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }

  /// What the user typed, safe to echo in a one-line error: control characters escaped
  /// (no terminal codes, no line breaks) and cut to `limit` characters.
  func echoed(limit: Int = 40) -> String {
    let text = controlCharactersEscaped
    guard text.count > limit else { return text }
    return String(text.prefix(limit - 3)) + "..."
  }
}
