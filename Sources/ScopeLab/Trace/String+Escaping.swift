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
