import AsyncScope

/// A JSON document, enough for the progress file: objects, arrays, strings, numbers,
/// booleans and null, parsed strictly and printed with sorted keys.
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
    var parser = Parser(scalars: Array(text.unicodeScalars))
    parser.skipSpace()
    let value = try parser.value(depth: 0)
    parser.skipSpace()
    guard parser.index == parser.scalars.count else { throw parser.error("text after the value") }
    return value
  }

  /// The value as JSON text, objects with sorted keys, indented by two spaces.
  func printed(indent: String = "") -> String {
    switch self {
    case .null: return "null"
    case .bool(let value): return value ? "true" : "false"
    case .number(let value):
      return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    case .string(let text): return JSONValue.quote(text)
    case .array(let items):
      guard !items.isEmpty else { return "[]" }
      if items.allSatisfy({ if case .number = $0 { true } else { false } }) {
        return "[" + items.map { $0.printed() }.joined(separator: ", ") + "]"
      }
      let inner = indent + "  "
      return "[\n" + items.map { inner + $0.printed(indent: inner) }.joined(separator: ",\n")
        + "\n" + indent + "]"
    case .object(let members):
      guard !members.isEmpty else { return "{}" }
      let inner = indent + "  "
      return "{\n"
        + members.sorted { $0.key < $1.key }.map { key, value in
          inner + JSONValue.quote(key) + ": " + value.printed(indent: inner)
        }.joined(separator: ",\n") + "\n" + indent + "}"
    }
  }

  private struct Parser {
    let scalars: [Unicode.Scalar]
    var index = 0

    func error(_ message: String) -> ParseError { ParseError(message: message, offset: index) }

    mutating func skipSpace() {
      while index < scalars.count, [" ", "\n", "\t", "\r"].contains(scalars[index]) { index += 1 }
    }

    mutating func value(depth: Int) throws(ParseError) -> JSONTree {
      guard depth < 64 else { throw error("nested too deeply") }
      guard index < scalars.count else { throw error("unexpected end") }
      switch scalars[index] {
      case "{":
        index += 1
        var members: [String: JSONTree] = [:]
        skipSpace()
        if index < scalars.count, scalars[index] == "}" {
          index += 1
          return .object(members)
        }
        while true {
          skipSpace()
          guard index < scalars.count, scalars[index] == "\"" else { throw error("expected a key") }
          let key = try string()
          skipSpace()
          guard index < scalars.count, scalars[index] == ":" else { throw error("expected ':'") }
          index += 1
          skipSpace()
          members[key] = try value(depth: depth + 1)
          skipSpace()
          guard index < scalars.count else { throw error("unexpected end") }
          if scalars[index] == "," {
            index += 1
            continue
          }
          guard scalars[index] == "}" else { throw error("expected ',' or '}'") }
          index += 1
          return .object(members)
        }
      case "[":
        index += 1
        var items: [JSONTree] = []
        skipSpace()
        if index < scalars.count, scalars[index] == "]" {
          index += 1
          return .array(items)
        }
        while true {
          skipSpace()
          items.append(try value(depth: depth + 1))
          skipSpace()
          guard index < scalars.count else { throw error("unexpected end") }
          if scalars[index] == "," {
            index += 1
            continue
          }
          guard scalars[index] == "]" else { throw error("expected ',' or ']'") }
          index += 1
          return .array(items)
        }
      case "\"":
        return .string(try string())
      case "t": return try literal("true", .bool(true))
      case "f": return try literal("false", .bool(false))
      case "n": return try literal("null", .null)
      default:
        return try number()
      }
    }

    mutating func literal(_ word: String, _ value: JSONTree) throws(ParseError) -> JSONTree {
      let word = Array(word.unicodeScalars)
      guard index + word.count <= scalars.count, Array(scalars[index..<index + word.count]) == word
      else { throw error("unexpected text") }
      index += word.count
      return value
    }

    mutating func number() throws(ParseError) -> JSONTree {
      let start = index
      while index < scalars.count, "-+.eE0123456789".unicodeScalars.contains(scalars[index]) {
        index += 1
      }
      var text = ""
      text.unicodeScalars.append(contentsOf: scalars[start..<index])
      guard !text.isEmpty, let value = Double(text), value.isFinite else {
        index = start
        throw error("unexpected text")
      }
      return .number(value)
    }

    mutating func string() throws(ParseError) -> String {
      index += 1
      var result = ""
      while index < scalars.count {
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "\"": return result
        case "\\":
          guard index < scalars.count else { throw error("unexpected end") }
          let escaped = scalars[index]
          index += 1
          switch escaped {
          case "\"", "\\", "/": result.unicodeScalars.append(escaped)
          case "n": result += "\n"
          case "t": result += "\t"
          case "r": result += "\r"
          case "b": result += "\u{8}"
          case "f": result += "\u{C}"
          case "u":
            guard index + 4 <= scalars.count else { throw error("bad \\u escape") }
            var hex = ""
            hex.unicodeScalars.append(contentsOf: scalars[index..<index + 4])
            index += 4
            guard let code = UInt32(hex, radix: 16), let value = Unicode.Scalar(code) else {
              throw error("bad \\u escape")
            }
            result.unicodeScalars.append(value)
          default: throw error("bad escape")
          }
        default:
          guard scalar.value >= 0x20 else { throw error("control character in a string") }
          result.unicodeScalars.append(scalar)
        }
      }
      throw error("unterminated string")
    }
  }
}
