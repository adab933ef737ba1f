// Where a long generated line breaks: the arguments of its last call, one a line.

extension SwiftWriter {
  /// `text` split at the commas outside parentheses and string literals, each trimmed.
  static func topLevelArguments(_ text: String) -> [String] {
    var arguments: [String] = []
    var start = text.startIndex
    var nesting = 0
    for (index, character) in codeCharacters(of: text) {
      switch character {
      case "(", "[": nesting += 1
      case ")", "]": nesting -= 1
      case "," where nesting == 0:
        arguments.append(String(text[start..<index]).trimmingSpaces())
        start = text.index(after: index)
      default: break
      }
    }
    arguments.append(String(text[start...]).trimmingSpaces())
    return arguments
  }

  /// The `(` whose `)` ends `line`, outside string literals: where `swift format` breaks a
  /// call that does not fit.
  static func openingOfLastCall(in line: String) -> String.Index? {
    guard line.hasSuffix(")") else { return nil }
    var stack: [String.Index] = []
    var last: String.Index?
    for (index, character) in codeCharacters(of: line) {
      switch character {
      case "(": stack.append(index)
      case ")": last = stack.popLast()
      default: break
      }
    }
    guard stack.isEmpty, let last, line.index(after: last) < line.index(before: line.endIndex)
    else { return nil }
    return last
  }

  /// The characters of `line` outside string literals (quotes included), with their
  /// indices.
  fileprivate static func codeCharacters(of line: String) -> [(String.Index, Character)] {
    var result: [(String.Index, Character)] = []
    var inString = false
    var escaped = false
    for index in line.indices {
      let character = line[index]
      if inString {
        if escaped {
          escaped = false
        } else if character == "\\" {
          escaped = true
        } else if character == "\"" {
          inString = false
        }
        continue
      }
      if character == "\"" { inString = true }
      result.append((index, character))
    }
    return result
  }
}
