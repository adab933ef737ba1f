/// A parser for one flat JSON object per line, as the traced Python view prints them:
/// string, number, `true`/`false`/`null` values, nothing nested.
public enum FlatJSON {
  /// One value of a flat object.
  public enum Value: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// The string, if it is one.
    public var string: String? {
      if case .string(let text) = self { text } else { nil }
    }

    /// The number, if it is one.
    public var number: Double? {
      if case .number(let value) = self { value } else { nil }
    }
  }

  /// Why a line is not a flat JSON object.
  public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// The offset, in Unicode scalars, where it went wrong.
    public var offset: Int

    public var description: String { "\(message) at offset \(offset)" }
  }

  /// Parses `text`, a single JSON object whose values are all flat.
  public static func parseObject(_ text: String) throws(ParseError) -> [String: Value] {
    var parser = Parser(Array(text.unicodeScalars))
    return try parser.object()
  }

  private struct Parser {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    func fail(_ message: String) -> ParseError { ParseError(message: message, offset: index) }

    var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    mutating func skipSpace() {
      while let scalar = current, [" ", "\t", "\n", "\r"].contains(scalar) { index += 1 }
    }

    mutating func expect(_ scalar: Unicode.Scalar) throws(ParseError) {
      skipSpace()
      guard current == scalar else { throw fail("expected '\(scalar)'") }
      index += 1
    }

    mutating func object() throws(ParseError) -> [String: Value] {
      try expect("{")
      var result: [String: Value] = [:]
      skipSpace()
      if current == "}" {
        index += 1
      } else {
        while true {
          skipSpace()
          guard current == "\"" else { throw fail("expected a key") }
          let key = try string()
          try expect(":")
          result[key] = try value()
          skipSpace()
          if current == "," {
            index += 1
            continue
          }
          try expect("}")
          break
        }
      }
      skipSpace()
      guard current == nil else { throw fail("unexpected text after the object") }
      return result
    }

    mutating func value() throws(ParseError) -> Value {
      skipSpace()
      switch current {
      case "\"": return .string(try string())
      case "t":
        try literal("true")
        return .bool(true)
      case "f":
        try literal("false")
        return .bool(false)
      case "n":
        try literal("null")
        return .null
      case "{", "[": throw fail("nested values are not supported")
      case nil: throw fail("expected a value")
      default: return .number(try number())
      }
    }

    mutating func literal(_ word: String) throws(ParseError) {
      for scalar in word.unicodeScalars {
        guard current == scalar else { throw fail("expected '\(word)'") }
        index += 1
      }
    }

    mutating func number() throws(ParseError) -> Double {
      let start = index
      while let scalar = current, "+-0123456789.eE".unicodeScalars.contains(scalar) {
        index += 1
      }
      var text = ""
      text.unicodeScalars.append(contentsOf: scalars[start..<index])
      guard !text.isEmpty, let value = Double(text) else {
        index = start
        throw fail("expected a value")
      }
      return value
    }

    mutating func string() throws(ParseError) -> String {
      index += 1  // the opening quote
      var text = String.UnicodeScalarView()
      while true {
        guard let scalar = current else { throw fail("unterminated string") }
        index += 1
        switch scalar {
        case "\"":
          return String(text)
        case "\\":
          guard let escaped = current else { throw fail("unterminated string") }
          index += 1
          switch escaped {
          case "\"", "\\", "/": text.append(escaped)
          case "b": text.append("\u{08}")
          case "f": text.append("\u{0C}")
          case "n": text.append("\n")
          case "r": text.append("\r")
          case "t": text.append("\t")
          case "u":
            var code = try hex4()
            if (0xD800..<0xDC00).contains(code) {
              // A surrogate pair: the low half must follow.
              guard current == "\\", index + 1 < scalars.count, scalars[index + 1] == "u" else {
                throw fail("unpaired surrogate")
              }
              index += 2
              let low = try hex4()
              guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let decoded = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
            text.append(decoded)
          default:
            throw fail("invalid escape '\\\(escaped)'")
          }
        default:
          guard scalar.value >= 0x20 else { throw fail("control character in string") }
          text.append(scalar)
        }
      }
    }

    mutating func hex4() throws(ParseError) -> UInt32 {
      guard index + 4 <= scalars.count else { throw fail("short \\u escape") }
      var text = ""
      text.unicodeScalars.append(contentsOf: scalars[index..<index + 4])
      guard let code = UInt32(text, radix: 16) else { throw fail("invalid \\u escape") }
      index += 4
      return code
    }
  }
}
