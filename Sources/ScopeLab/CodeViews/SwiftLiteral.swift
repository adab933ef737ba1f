/// Swift source spellings of values: string literal contents, durations, keywords.
enum SwiftLiteral {
  /// `text` escaped for the inside of a `"..."` literal: backslash, quote, control
  /// characters and bidirectional formatting characters (which would reorder how the
  /// line shows) escaped; everything else, non-ASCII included, as it is.
  static func escaped(_ text: String) -> String {
    text.escapedForLiteral { scalar in
      if scalar == "\0" { return "\\0" }
      guard scalar.value < 0x20 || scalar.value == 0x7F || scalar.isBidirectionalControl
      else { return nil }
      return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }
  }

  /// `.seconds(2)`, `.milliseconds(300)`, ...: the largest unit that keeps it exact.
  static func duration(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    let units: [(String, Int64)] = [
      ("seconds", 1_000_000_000), ("milliseconds", 1_000_000), ("microseconds", 1000),
    ]
    for (unit, size) in units where nanoseconds % size == 0 {
      return ".\(unit)(\(grouped(nanoseconds / size)))"
    }
    return ".nanoseconds(\(grouped(nanoseconds)))"
  }

  /// An integer literal with `_` between groups of three digits from 10 000 on.
  static func grouped(_ value: Int64) -> String {
    let digits = String(value.magnitude)
    guard digits.count > 4 else { return String(value) }
    var result = ""
    for (index, digit) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { result += "_" }
      result.append(digit)
    }
    return (value < 0 ? "-" : "") + result
  }

  /// Words that must be in backticks to name a constant.
  static let keywords: Set<String> = [
    "as", "async", "await", "break", "case", "catch", "class", "continue", "default", "defer",
    "do", "else", "enum", "extension", "fallthrough", "false", "for", "func", "guard", "if",
    "import", "in", "init", "inout", "internal", "is", "let", "nil", "operator", "private",
    "protocol", "public", "repeat", "rethrows", "return", "self", "Self", "static", "struct",
    "subscript", "super", "switch", "throw", "throws", "true", "try", "typealias", "var",
    "where", "while", "Any", "Type",
  ]
}
