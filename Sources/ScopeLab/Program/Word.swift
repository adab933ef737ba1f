/// One shell-style word of a scope program: text that may contain `$name` parameters.
///
/// The parser keeps parameter references instead of expanding them, so one parsed
/// ``Program`` can run with different parameter values; ``resolve(parameters:)``
/// expands them. Quoting is gone by the time a word is built: `a"b"`, `'ab'` and `ab`
/// are the same word. Adjacent literal parts are merged and empty ones dropped, so two
/// words that mean the same text compare equal (apart from positions).
public struct Word: Sendable, Equatable, CustomStringConvertible {
  /// A piece of a word: literal text or a parameter reference.
  public enum Part: Sendable, Equatable {
    /// Text taken as it is (quotes and escapes already removed).
    case literal(String)
    /// `$name` or `${name}`; the position is that of the `$`.
    case parameter(String, position: SourcePosition)
  }

  /// The parts in order, normalized: no empty literals, no two literals in a row.
  public private(set) var parts: [Part]
  /// Where the word starts (its first character, a quote included).
  public var position: SourcePosition

  /// A word made of `parts`, normalized.
  public init(_ parts: [Part], position: SourcePosition) {
    self.parts = []
    self.position = position
    for part in parts { append(part) }
  }

  /// A word with no parameters.
  public init(literal text: String, position: SourcePosition) {
    self.init([.literal(text)], position: position)
  }

  /// The text when the word has no parameters, otherwise `nil`.
  public var literalText: String? {
    var text = ""
    for part in parts {
      guard case .literal(let literal) = part else { return nil }
      text += literal
    }
    return text
  }

  /// The names of the parameters the word uses, in order (repeats included).
  public var parameterNames: [String] {
    parts.compactMap { part in
      if case .parameter(let name, _) = part { return name }
      return nil
    }
  }

  /// Appends a part, merging it into a literal before it.
  public mutating func append(_ part: Part) {
    guard case .literal(let text) = part else {
      parts.append(part)
      return
    }
    guard !text.isEmpty else { return }
    guard case .literal(var previous)? = parts.last else {
      parts.append(part)
      return
    }
    // Release the array's copy first, so `previous` grows in place.
    parts[parts.count - 1] = .literal("")
    previous += text
    parts[parts.count - 1] = .literal(previous)
  }

  /// Appends every part of `other` (used to glue `a(b)` into one word).
  public mutating func append(contentsOf other: Word) {
    for part in other.parts { append(part) }
  }

  /// The word as source text, quoted where needed, so that parsing it gives it back.
  public var description: String { WordQuoting.sourceText(of: self) }
}
