import AsyncScope

/// A JSON document: objects, arrays, strings, numbers, booleans and null, parsed strictly
/// (surrogate pairs included) and printed with sorted keys. The progress file is one;
/// ``FlatJSON`` reads trace lines with it.
enum JSONTree: Sendable, Equatable {
  case object([String: JSONTree])
  case array([JSONTree])
  case string(String)
  case number(Double)
  case bool(Bool)
  case null

  struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    let message: String
    let offset: Int
    var description: String { "\(message) at offset \(offset)" }
  }

  subscript(key: String) -> JSONTree? {
    if case .object(let members) = self { members[key] } else { nil }
  }

  var string: String? { if case .string(let text) = self { text } else { nil } }
  var int: Int? {
    guard case .number(let value) = self, value == value.rounded(), abs(value) < 1e15 else {
      return nil
    }
    return Int(value)
  }
  var array: [JSONTree]? { if case .array(let items) = self { items } else { nil } }
  var object: [String: JSONTree]? { if case .object(let members) = self { members } else { nil } }

  static func parse(_ text: String) throws(ParseError) -> JSONTree {
    var parser = Parser(Array(text.unicodeScalars))
    let value = try parser.value(depth: 0)
    parser.skipSpace()
    guard parser.current == nil else { throw parser.fail("unexpected text after the value") }
    return value
  }

  /// The value as JSON text, objects with sorted keys, indented by two spaces; or all on
  /// one line (`oneLine`), as a transcript's front matter holds it.
  func printed(indent: String = "", oneLine: Bool = false) -> String {
    switch self {
    case .null: return "null"
    case .bool(let value): return value ? "true" : "false"
    case .number(let value):
      return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    case .string(let text): return JSONValue.quote(text)
    case .array(let items):
      guard !items.isEmpty else { return "[]" }
      if oneLine || items.allSatisfy({ if case .number = $0 { true } else { false } }) {
        return "[" + items.map { $0.printed(oneLine: oneLine) }.joined(separator: ", ") + "]"
      }
      let inner = indent + "  "
      return "[\n" + items.map { inner + $0.printed(indent: inner) }.joined(separator: ",\n")
        + "\n" + indent + "]"
    case .object(let members):
      guard !members.isEmpty else { return "{}" }
      let sorted = members.sorted { $0.key < $1.key }
      if oneLine {
        return "{"
          + sorted.map { JSONValue.quote($0.key) + ": " + $0.value.printed(oneLine: true) }
          .joined(separator: ", ") + "}"
      }
      let inner = indent + "  "
      return "{\n"
        + sorted.map { key, value in
          inner + JSONValue.quote(key) + ": " + value.printed(indent: inner)
        }.joined(separator: ",\n") + "\n" + indent + "}"
    }
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

    mutating func value(depth: Int) throws(ParseError) -> JSONTree {
      guard depth < 64 else { throw fail("nested too deeply") }
      skipSpace()
      switch current {
      case "{": return .object(try object(depth: depth))
      case "[": return .array(try array(depth: depth))
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
      case nil: throw fail("expected a value")
      default: return .number(try number())
      }
    }

    mutating func object(depth: Int) throws(ParseError) -> [String: JSONTree] {
      try expect("{")
      var members: [String: JSONTree] = [:]
      skipSpace()
      if current == "}" {
        index += 1
        return members
      }
      while true {
        skipSpace()
        guard current == "\"" else { throw fail("expected a key") }
        let key = try string()
        try expect(":")
        members[key] = try value(depth: depth + 1)
        skipSpace()
        if current == "," {
          index += 1
          continue
        }
        try expect("}")
        return members
      }
    }

    mutating func array(depth: Int) throws(ParseError) -> [JSONTree] {
      try expect("[")
      var items: [JSONTree] = []
      skipSpace()
      if current == "]" {
        index += 1
        return items
      }
      while true {
        items.append(try value(depth: depth + 1))
        skipSpace()
        if current == "," {
          index += 1
          continue
        }
        try expect("]")
        return items
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
