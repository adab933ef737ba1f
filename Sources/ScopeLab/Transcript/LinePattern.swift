/// One expected line of a transcript, split into the parts that match new output.
///
/// `[..]` matches any text, possibly none; a ``Placeholder`` such as `[PID]` matches what
/// it stands for; a ``TimingToken`` matches a timing token of the same unit inside its
/// ``TimingWindow``; every other character matches itself. A line that is `...` once
/// spaces and tabs around it are removed is an ellipsis: it matches any number of lines.
struct LinePattern: Sendable {
  /// What one part of the pattern matches.
  enum Element: Sendable {
    /// This character, and not part of a timing token.
    case character(Character)
    /// A timing token of the same unit, inside the window (index into ``windows``).
    case timing(TimingToken, window: Int)
    /// `[..]`: any run of characters and timing tokens, possibly empty.
    case anyText
    /// The placeholder's name, or the first character it stands for. The name jumps over
    /// the ``placeholderRest`` that always follows.
    case placeholder(Placeholder, name: [Character])
    /// Zero or more further characters the placeholder stands for.
    case placeholderRest(Placeholder)
  }

  /// `[..]` as written.
  static let anyTextMarker: [Character] = Array("[..]")

  /// The line as written in the file.
  let text: String
  let elements: [Element]
  /// The timing tokens' windows, in order.
  let windows: [TimingWindow]
  /// Whether the line is `...`.
  let isEllipsis: Bool
  /// Whether the line holds `[..]` or a placeholder (and so needs the slower comparison).
  let hasWildcards: Bool
  /// Whether a `[..]` stands beside a digit, `.`, `s` or `m`, and so may stand for part
  /// of a timing token (`0.0[..]s`).
  let mayCutTimingToken: Bool
  /// The slack factor its windows were made with.
  let slack: Double
  /// How far its windows' late edges were moved for a busy machine.
  let widening: Duration

  /// The pattern of `text`, its timing windows' late allowances multiplied by `slack` and
  /// their late edges moved by `widening` (``TimingWindow/init(for:slack:widening:)``).
  init(_ text: String, slack: Double, widening: Duration = .zero) {
    self.text = text
    self.slack = slack
    self.widening = widening
    var trimmed = Substring(text)
    while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
    while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
    isEllipsis = trimmed == "..."
    let characters = Array(text)
    let names = Placeholder.all.map { ($0, Array($0.name)) }
    var elements: [Element] = []
    var windows: [TimingWindow] = []
    var hasWildcards = false
    var index = 0
    scanning: while index < characters.count {
      if characters.hasPrefix(Self.anyTextMarker, at: index) {
        elements.append(.anyText)
        hasWildcards = true
        index += Self.anyTextMarker.count
        continue
      }
      for (placeholder, name) in names where characters.hasPrefix(name, at: index) {
        elements.append(.placeholder(placeholder, name: name))
        elements.append(.placeholderRest(placeholder))
        hasWildcards = true
        index += name.count
        continue scanning
      }
      if let (token, end) = TimingToken.scan(characters, at: index) {
        elements.append(.timing(token, window: windows.count))
        windows.append(TimingWindow(for: token, slack: slack, widening: widening))
        index = end
        continue
      }
      elements.append(.character(characters[index]))
      index += 1
    }
    self.elements = elements
    self.windows = windows
    self.hasWildcards = hasWildcards
    mayCutTimingToken = elements.indices.contains { index in
      guard case .anyText = elements[index] else { return false }
      return [index - 1, index + 1].contains { neighbour in
        guard elements.indices.contains(neighbour),
          case .character(let character) = elements[neighbour]
        else { return false }
        return character.isNumber || ".sm".contains(character)
      }
    }
  }
}

/// One line of new output, split into timing tokens and the characters between them.
struct OutputLine: Sendable {
  enum Unit: Sendable {
    case character(Character)
    case timing(TimingToken)
  }

  /// The line as the command printed it.
  let text: String
  let units: [Unit]
  /// The line's characters: with ``init(characters:)``, one for each unit.
  let characters: [Character]

  init(_ text: String) {
    self.text = text
    let characters = Array(text)
    self.characters = characters
    var units: [Unit] = []
    var index = 0
    while index < characters.count {
      if let (token, end) = TimingToken.scan(characters, at: index) {
        units.append(.timing(token))
        index = end
      } else {
        units.append(.character(characters[index]))
        index += 1
      }
    }
    self.units = units
  }

  /// The line as characters only, a timing token's among them: for a pattern whose `[..]`
  /// stands inside a timing token (`0.0[..]s`), which the line's tokens would hide.
  init(characters text: String) {
    self.text = text
    characters = Array(text)
    units = characters.map(Unit.character)
  }

  /// Whether the line holds a timing token.
  var hasTimingTokens: Bool {
    units.contains {
      if case .timing = $0 { return true }
      return false
    }
  }

  /// Whether the characters `name` start at `index`, none of them part of a timing token.
  func hasCharacters(_ name: [Character], at index: Int) -> Bool {
    guard index + name.count <= units.count else { return false }
    for (offset, expected) in name.enumerated() {
      guard case .character(let character) = units[index + offset], character == expected
      else { return false }
    }
    return true
  }
}

extension Array where Element == Character {
  /// Whether `prefix` appears in this array starting at `index`.
  fileprivate func hasPrefix(_ prefix: [Character], at index: Int) -> Bool {
    guard index + prefix.count <= count else { return false }
    for (offset, character) in prefix.enumerated() where self[index + offset] != character {
      return false
    }
    return true
  }
}
