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
    var text = ""
    for scalar in unicodeScalars {
      let isControl =
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
        || scalar == "\u{2028}" || scalar == "\u{2029}"
      text += isControl ? scalar.escaped(asASCII: true) : String(scalar)
    }
    guard text.count > limit else { return text }
    return String(text.prefix(limit - 3)) + "..."
  }
}
