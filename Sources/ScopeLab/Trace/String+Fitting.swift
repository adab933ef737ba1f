extension String {
  /// The text, or as much of it as fits in `width` columns followed by `…`.
  func ellipsized(toWidth width: Int) -> String {
    guard displayWidth > width else { return self }
    guard width > 1 else { return width == 1 ? "…" : "" }
    var kept = ""
    var used = 0
    for character in self {
      let columns = character.displayWidth
      if used + columns > width - 1 { break }
      kept.append(character)
      used += columns
    }
    return kept + "…"
  }

  /// The text, or its first whole words that fit in `width` columns followed by `…`;
  /// only when not even the first word fits is that word cut.
  func ellipsizedAtWords(toWidth width: Int) -> String {
    guard displayWidth > width else { return self }
    var kept = ""
    var candidate = ""
    var used = 0
    for character in self {
      if character == " " {
        kept = candidate
      }
      used += character.displayWidth
      if used > width - 1 { break }
      candidate.append(character)
    }
    // No dangling separator before the ellipsis: `by exit,…` reads as `by exit…`.
    while let last = kept.last, last == " " || last == "," || last == "(" || last == ":" {
      kept.removeLast()
    }
    return kept.isEmpty ? ellipsized(toWidth: width) : kept + "…"
  }

  /// The text with spaces after it up to `width` columns.
  func padded(toWidth width: Int) -> String {
    self + String(repeating: " ", count: max(0, width - displayWidth))
  }

  /// The text without the spaces at its end.
  func trailingSpacesRemoved() -> String {
    var text = Substring(self)
    while text.last == " " { text.removeLast() }
    return String(text)
  }
}

extension StringProtocol {
  /// The text without the spaces and tabs at its end.
  func trimmingTrailingSpaces() -> String {
    var text = Substring(self)
    while let last = text.last, last == " " || last == "\t" { text.removeLast() }
    return String(text)
  }
}
