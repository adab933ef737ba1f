extension String {
  /// The text with every control character escaped (`\u{1B}`, `\n`, `\t`), so that text
  /// from outside - a child's output, a file - is shown on a terminal and never obeyed:
  /// no colour changes, no cursor moves, no line breaks. C0 and C1 controls, DEL and the
  /// Unicode line and paragraph separators count.
  package var controlCharactersEscaped: String {
    guard unicodeScalars.contains(where: Self.isControl) else { return self }
    var text = ""
    for scalar in unicodeScalars {
      text += Self.isControl(scalar) ? scalar.escaped(asASCII: true) : String(scalar)
    }
    return text
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
      || scalar == "\u{2028}" || scalar == "\u{2029}"
  }
}
