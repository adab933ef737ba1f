extension String {
  /// The text with every control character escaped (`\u{1B}`, `\n`, `\t`), so that text
  /// from outside - a child's output, a file, what the user typed - is shown on a
  /// terminal and never obeyed: no colour changes, no cursor moves, no line breaks, no
  /// text reordered. C0 and C1 controls, DEL, the Unicode line and paragraph separators
  /// and the bidirectional marks, embeddings, overrides and isolates count
  /// (``Unicode/Scalar/isShownEscaped``).
  package var controlCharactersEscaped: String {
    escapingControls(keeping: [])
  }

  /// The text of a message of one or more lines with every control character escaped as
  /// ``controlCharactersEscaped`` does, but its line breaks and tabs kept: for a
  /// message that quotes what the user typed.
  package var controlCharactersEscapedButLineBreaks: String {
    escapingControls(keeping: ["\n", "\t"])
  }

  /// ``controlCharactersEscapedButLineBreaks``, but the colour sequences ``Palette`` and
  /// lesson prose (``ProseMarkdown``) paint with kept: `ESC [ 1 m` and the like, with
  /// one of their codes. (A lesson file could write one too: a colour, nothing more.)
  package var controlCharactersEscapedButLineBreaksAndStyles: String {
    guard contains("\u{1B}") else { return controlCharactersEscapedButLineBreaks }
    let styles: Set = ["0", "1", "2", "3", "31", "32", "33", "36"]
    var text = ""
    var rest = Substring(self)
    while let escape = rest.firstIndex(of: "\u{1B}") {
      text += String(rest[..<escape]).controlCharactersEscapedButLineBreaks
      let after = rest[rest.index(after: escape)...]
      if after.first == "[", let end = after.firstIndex(of: "m"),
        styles.contains(String(after[after.index(after: after.startIndex)..<end]))
      {
        text += "\u{1B}" + after[...end]
        rest = after[after.index(after: end)...]
      } else {
        text += "\u{1B}".controlCharactersEscapedButLineBreaks
        rest = after
      }
    }
    return text + String(rest).controlCharactersEscapedButLineBreaks
  }

  private func escapingControls(keeping kept: Set<Unicode.Scalar>) -> String {
    func escapes(_ scalar: Unicode.Scalar) -> Bool {
      scalar.isShownEscaped && !kept.contains(scalar)
    }
    guard unicodeScalars.contains(where: escapes) else { return self }
    var text = ""
    for scalar in unicodeScalars {
      text += escapes(scalar) ? scalar.escaped(asASCII: true) : String(scalar)
    }
    return text
  }
}

extension Unicode.Scalar {
  /// Whether text shown on a terminal shows this character escaped: a C0 or C1 control,
  /// DEL, the line or paragraph separator, or a bidirectional formatting character (the
  /// marks U+200E, U+200F, U+061C, the embeddings and overrides U+202A-U+202E, the
  /// isolates U+2066-U+2069), which could reorder what the line seems to say.
  package var isShownEscaped: Bool {
    value < 0x20 || (0x7F...0x9F).contains(value) || self == "\u{2028}" || self == "\u{2029}"
      || isBidirectionalControl
  }

  /// A bidirectional formatting character: U+061C, U+200E, U+200F, U+202A-U+202E or
  /// U+2066-U+2069. Code views write them escaped in string literals too.
  package var isBidirectionalControl: Bool {
    value == 0x061C || value == 0x200E || value == 0x200F || (0x202A...0x202E).contains(value)
      || (0x2066...0x2069).contains(value)
  }
}

extension String {
  /// The text for the inside of a double-quoted literal (JSON, Python, Swift): `\`, `"`
  /// and the line breaks and tab written `\\`, `\"`, `\n`, `\r`, `\t`; any other
  /// character `control` has an escape for gets it; everything else stays as it is.
  func escapedForLiteral(control: (Unicode.Scalar) -> String?) -> String {
    var result = ""
    for scalar in unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if let escape = control(scalar) {
          result += escape
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result
  }

  /// `value` in hexadecimal, padded with zeros to `digits`.
  static func hex(_ value: UInt32, digits: Int, uppercase: Bool = false) -> String {
    let text = String(value, radix: 16, uppercase: uppercase)
    return String(repeating: "0", count: Swift.max(0, digits - text.count)) + text
  }
}
