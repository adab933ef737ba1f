/// Writes a ``Word`` back as source text: bare where that is safe; in single quotes when
/// the text holds `$`, `\` or `"` but no `'`; otherwise in double quotes with `"`, `\`
/// and `$` escaped. Parameters as `$name`, or `${name}` when a
/// name character follows.
enum WordQuoting {
  static func sourceText(of word: Word) -> String {
    guard !word.parts.isEmpty else { return "\"\"" }
    var text = ""
    for (index, part) in word.parts.enumerated() {
      switch part {
      case .literal(let literal):
        text += quoted(literal)
      case .parameter(let name, _):
        let next = index + 1 < word.parts.count ? word.parts[index + 1] : nil
        if case .literal(let following)? = next, let first = following.first,
          first == "_" || (first.isASCII && (first.isLetter || first.isNumber))
        {
          text += "${\(name)}"
        } else {
          text += "$" + name
        }
      }
    }
    return text
  }

  /// Characters that can stand bare in a word (besides letters and digits).
  private static let safePunctuation: Set<Character> = [
    "-", "_", ".", "/", ":", "=", "+", "@", "%", "^", "~", "!", "?", "*", "[", "]", "<", ">",
    "|", "&",
  ]

  private static func isSafe(_ character: Character) -> Bool {
    if safePunctuation.contains(character) { return true }
    return (character.isLetter || character.isNumber) && !character.isWhitespace
  }

  /// `literal` as it can be written inside a word.
  static func quoted(_ literal: String) -> String {
    if !literal.isEmpty, literal.allSatisfy(isSafe) { return literal }
    if !literal.contains("'"), literal.contains(where: { "$\\\"".contains($0) }) {
      return "'" + literal + "'"
    }
    var text = "\""
    for character in literal {
      if character == "\"" || character == "\\" || character == "$" { text += "\\" }
      text.append(character)
    }
    return text + "\""
  }
}
