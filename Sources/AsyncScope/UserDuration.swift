/// A duration typed by a user, validated before it becomes a `Duration` (TO7).
///
/// `Duration.seconds(.nan)`, `.infinity`, `1e300` and negative-to-unsigned conversions
/// crash; every number a person types goes through here first. Accepted forms: `2`,
/// `2s`, `1.5`, `500ms`, `2m`, `0`, negative values, and `inf` / `none` for no limit.
/// Magnitudes beyond ``maximumSeconds`` are clamped.
public struct UserDuration: Sendable, Hashable, CustomStringConvertible {
  /// The duration, or `nil` for no limit (`inf`, `none`).
  public let duration: Duration?

  /// The largest magnitude kept; larger values are clamped to it (about 31 years).
  public static let maximumSeconds: Double = 1e9

  public static let unlimited = UserDuration(duration: nil)

  public init(_ duration: Duration) {
    self.duration = duration
  }

  private init(duration: Duration?) {
    self.duration = duration
  }

  /// Validates a number of seconds: NaN is an error, infinity means no limit, huge
  /// magnitudes are clamped.
  public init(seconds value: Double) throws(DurationError) {
    if value.isNaN { throw DurationError(text: "nan", reason: "is not a number") }
    if value.isInfinite {
      guard value > 0 else {
        throw DurationError(text: "-inf", reason: "negative infinity is not a duration")
      }
      self.duration = nil
      return
    }
    let clamped = min(max(value, -Self.maximumSeconds), Self.maximumSeconds)
    let whole = clamped.rounded(.towardZero)
    let nanos = ((clamped - whole) * 1e9).rounded()
    self.duration = .seconds(Int64(whole)) + .nanoseconds(Int64(nanos))
  }

  /// Parses what a user typed: `2`, `2s`, `1.5`, `500ms`, `2m`, `-1`, `inf`, `none`.
  public init(parsing text: String) throws(DurationError) {
    let trimmed = text.trimmingSpaces()
    switch trimmed.lowercased() {
    case "inf", "+inf", "infinity", "none", "never":
      self = .unlimited
      return
    case "": throw DurationError(text: text, reason: "is empty")
    default: break
    }
    var number = Substring(trimmed)
    var scale = 1.0
    for (suffix, factor) in [("ms", 0.001), ("us", 0.000_001), ("s", 1.0), ("m", 60.0)]
    where number.hasSuffix(suffix) {
      number = number.dropLast(suffix.count)
      scale = factor
      break
    }
    guard Self.looksNumeric(number), let value = Double(number) else {
      throw DurationError(
        text: text,
        reason: "is not a duration (try 2, 1.5s, 500ms, 0, -1 or inf)"
      )
    }
    try self.init(seconds: value * scale)
  }

  /// Only decimal digits, one sign, a point and an exponent: Swift's `Double(_:)` also
  /// takes `nan`, `0x1p3` and friends, which a person never means as a duration.
  private static func looksNumeric(_ text: Substring) -> Bool {
    var sawDigit = false
    for (index, char) in zip(text.indices, text) {
      switch char {
      case "0"..."9": sawDigit = true
      case ".", "e", "E": continue
      case "+", "-":
        let previous = index == text.startIndex ? nil : text[text.index(before: index)]
        guard previous == nil || previous == "e" || previous == "E" else { return false }
      default: return false
      }
    }
    return sawDigit
  }

  public var description: String {
    duration.map(formatDuration) ?? "inf"
  }
}

/// A duration a user typed that cannot be used.
public struct DurationError: Error, Equatable, CustomStringConvertible {
  public let text: String
  public let reason: String

  public init(text: String, reason: String) {
    self.text = text
    self.reason = reason
  }

  public var description: String { "'\(text)' \(reason)" }
}

extension String {
  /// The string without leading and trailing white space.
  package func trimmingSpaces() -> String {
    var scalars = Substring(self)
    while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
    while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
    return String(scalars)
  }
}
