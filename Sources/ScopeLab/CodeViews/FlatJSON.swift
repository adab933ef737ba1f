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
    let tree: JSONTree
    do {
      tree = try JSONTree.parse(text)
    } catch {
      throw ParseError(message: error.message, offset: error.offset)
    }
    guard case .object(let members) = tree else {
      throw ParseError(message: "expected '{'", offset: 0)
    }
    var object: [String: Value] = [:]
    for (key, member) in members {
      switch member {
      case .string(let text): object[key] = .string(text)
      case .number(let value): object[key] = .number(value)
      case .bool(let value): object[key] = .bool(value)
      case .null: object[key] = .null
      case .object, .array:
        throw ParseError(message: "nested values are not supported (in '\(key)')", offset: 0)
      }
    }
    return object
  }
}
