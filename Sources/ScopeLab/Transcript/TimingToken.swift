/// A number of seconds or milliseconds written as a whole word inside a line of output:
/// `2.001s`, `0.000s`, `2s`, `1.5s`, `250ms`.
///
/// The number is ASCII digits with an optional fraction (`1.5`, never `1.` or `.5`),
/// followed at once by `s` or `ms`. It is a whole word: the character before it is not a
/// letter, a digit, `_` or `.`, and the character after the unit is not a letter, a digit
/// or `_`. So `timeout(2s)`, `  2.001s  fired` and `after 2.000s.` hold one each, while
/// `1m30s`, `v1.2s`, `2sec` and `timeout#1` hold none.
struct TimingToken: Sendable, Equatable {
  /// The unit written after the number.
  enum Unit: Sendable, Equatable {
    case seconds
    case milliseconds
  }

  /// The token as written, e.g. `2.001s`.
  var text: String
  /// The value in seconds.
  var seconds: Double
  var unit: Unit
  /// How many digits follow the decimal point: 0 for `2s` and `250ms`, 3 for `2.001s`.
  var decimals: Int

  /// The token that starts at `start` in `characters`, and the index just past it; nil when
  /// no timing token starts there.
  static func scan(_ characters: [Character], at start: Int) -> (token: TimingToken, end: Int)? {
    guard start < characters.count, characters[start].isASCIIDigit else { return nil }
    if start > 0 {
      let before = characters[start - 1]
      if before.isWordCharacter || before == "." { return nil }
    }
    var index = start
    while index < characters.count, characters[index].isASCIIDigit { index += 1 }
    var decimals = 0
    if index + 1 < characters.count, characters[index] == ".",
      characters[index + 1].isASCIIDigit
    {
      index += 1
      while index < characters.count, characters[index].isASCIIDigit {
        index += 1
        decimals += 1
      }
    }
    let number = String(characters[start..<index])
    let unit: Unit
    if index + 1 < characters.count, characters[index] == "m", characters[index + 1] == "s" {
      unit = .milliseconds
      index += 2
    } else if index < characters.count, characters[index] == "s" {
      unit = .seconds
      index += 1
    } else {
      return nil
    }
    if index < characters.count, characters[index].isWordCharacter { return nil }
    guard let value = Double(number) else { return nil }
    let seconds = unit == .milliseconds ? value / 1000 : value
    let token = TimingToken(
      text: String(characters[start..<index]), seconds: seconds, unit: unit, decimals: decimals)
    return (token, index)
  }
}

extension Character {
  /// `0` to `9` only (not other scripts' digits).
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }

  /// A letter, a digit or `_`: what a timing token may not touch.
  fileprivate var isWordCharacter: Bool { isLetter || isNumber || self == "_" }
}
