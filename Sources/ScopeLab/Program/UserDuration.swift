import AsyncScope

/// A duration typed by a user, validated before it becomes a `Duration` (TO7).
///
/// `Duration.seconds(.nan)`, `.infinity`, `1e300` and negative-to-unsigned conversions
/// crash; every number a person types goes through here first. One set of forms
/// everywhere a duration is typed (a program, `set`, `--set`): a number with a unit
/// ``units`` (`ns`, `us`, `ms`, `s`, `m` or `min`, `h`), a bare number is seconds,
/// negative values, and `inf` / `none` for no limit. NaN and anything else is an
/// error; magnitudes beyond ``maximumSeconds`` (`1e400` included) are clamped.
///
/// The number is read exactly, in decimal, and rounded to the nanosecond, so what
/// ``formatDuration(_:)`` prints parses back to the same duration.
public struct UserDuration: Sendable, Hashable, CustomStringConvertible {
  /// The duration, or `nil` for no limit (`inf`, `none`).
  public let duration: Duration?

  /// The largest magnitude kept; larger values are clamped to it (about 31 years).
  public static let maximumSeconds: Double = 1e9

  public static let unlimited = UserDuration(duration: nil)

  /// A unit a duration may be written in.
  public struct Unit: Sendable, Hashable {
    /// What follows the number: `ms`.
    public let suffix: String
    /// How many nanoseconds one of it is.
    public let nanoseconds: Int64
  }

  /// Every unit, in the order a suffix is looked for (`min` before `m`, `ms` before `s`).
  public static let units: [Unit] = [
    Unit(suffix: "min", nanoseconds: 60_000_000_000),
    Unit(suffix: "ns", nanoseconds: 1),
    Unit(suffix: "us", nanoseconds: 1_000),
    Unit(suffix: "ms", nanoseconds: 1_000_000),
    Unit(suffix: "s", nanoseconds: 1_000_000_000),
    Unit(suffix: "m", nanoseconds: 60_000_000_000),
    Unit(suffix: "h", nanoseconds: 3_600_000_000_000),
  ]

  /// The forms, as an error message lists them.
  public static let forms =
    "a number with a unit ns, us, ms, s, m (or min), h - bare numbers are seconds - or inf/none"

  /// The forms by example, one of each unit, for `params` and `help set`.
  public static let examples = "2 (seconds), 1.5s, 500ms, 250us, 100ns, 2m or 2min, 1h, inf or none"

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

  /// Parses what a user typed: `2`, `2s`, `1.5`, `500ms`, `1min`, `-1`, `inf`, `none`.
  public init(parsing text: String) throws(DurationError) {
    self = try Self.parse(text).duration
  }

  /// Parses what a user typed, as ``init(parsing:)`` does, and says whether its magnitude
  /// was beyond ``maximumSeconds`` and clamped (`set sleep 1e400` says so).
  public static func parse(_ text: String) throws(DurationError) -> (
    duration: UserDuration, clamped: Bool
  ) {
    let trimmed = text.trimmingSpaces()
    switch trimmed {
    case "inf", "none": return (.unlimited, false)
    case "": throw DurationError(text: text, reason: "is empty: write \(Self.forms)")
    default: break
    }
    let unit = Self.units.first { trimmed.hasSuffix($0.suffix) }
    let digits = trimmed.dropLast(unit?.suffix.count ?? 0)
    guard let number = DecimalNumber(digits), let approximate = Double(digits) else {
      throw DurationError(text: text, reason: "is not a duration: write \(Self.forms)")
    }
    let scale = unit?.nanoseconds ?? 1_000_000_000
    // The magnitude first, in floating point (1e400 is infinite there): past the
    // maximum, the value is clamped and never computed exactly.
    let seconds = approximate * Double(scale) / 1e9
    guard seconds.magnitude <= Self.maximumSeconds else {
      let limit = try UserDuration(
        seconds: seconds < 0 ? -Self.maximumSeconds : Self.maximumSeconds)
      return (limit, true)
    }
    let limit = Int128(Self.maximumSeconds) * 1_000_000_000
    let exact = number.rounded(times: scale)
    let nanoseconds = min(max(exact, -limit), limit)
    return (UserDuration(.nanoseconds(Int64(nanoseconds))), nanoseconds != exact)
  }

  public var description: String {
    duration.map(formatDuration) ?? "inf"
  }
}

/// A decimal number as typed, held exactly: `significand × 10^exponent`.
///
/// Only decimal digits, one sign, one point and an exponent (`-1.5e-3`): Swift's
/// `Double(_:)` also takes `nan`, `inf`, `0x1p3` and friends, which a person never
/// means as a duration.
private struct DecimalNumber {
  var negative: Bool
  /// At most ``maximumDigits`` significant digits; more are cut (far below 1 ns).
  var significand: Int128
  var exponent: Int

  /// Enough for any duration to the nanosecond, small enough that `significand ×
  /// 3.6e12` (an hour in nanoseconds) fits in an `Int128`.
  static let maximumDigits = 24

  init?(_ text: Substring) {
    var rest = text[...]
    negative = rest.first == "-"
    if rest.first == "-" || rest.first == "+" { rest.removeFirst() }
    var significand: Int128 = 0
    var digits = 0
    var exponent = 0
    var sawDigit = false
    var sawPoint = false
    while let char = rest.first, char.isASCII, char.isNumber || char == "." {
      rest.removeFirst()
      if char == "." {
        guard !sawPoint else { return nil }
        sawPoint = true
        continue
      }
      sawDigit = true
      let value = Int128(char.asciiValue ?? 48) - 48
      if digits < Self.maximumDigits {
        if significand != 0 || value != 0 { digits += 1 }
        significand = significand * 10 + value
        if sawPoint { exponent -= 1 }
      } else if !sawPoint {
        exponent += 1
      }
    }
    guard sawDigit else { return nil }
    if let marker = rest.first, marker == "e" || marker == "E" {
      rest.removeFirst()
      guard let power = Self.exponent(rest) else { return nil }
      exponent += power
      rest = rest[rest.endIndex...]
    }
    guard rest.isEmpty else { return nil }
    self.significand = significand
    self.exponent = exponent
  }

  /// A signed run of digits, saturating far beyond any duration.
  private static func exponent(_ text: Substring) -> Int? {
    var rest = text
    let negative = rest.first == "-"
    if rest.first == "-" || rest.first == "+" { rest.removeFirst() }
    guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    var value = 0
    for char in rest {
      value = min(value * 10 + Int(char.asciiValue ?? 48) - 48, 100_000)
    }
    return negative ? -value : value
  }

  /// `self × scale`, rounded to the nearest integer (halves away from zero). Call it
  /// only when the result is known to be small (about 1e18 at most).
  func rounded(times scale: Int64) -> Int128 {
    var magnitude: Int128
    if exponent >= 0 {
      magnitude = significand * Int128(scale)
      for _ in 0..<exponent { magnitude *= 10 }
    } else if -exponent >= 37 {
      // The product is below 3.6e36: less than half of 10^37.
      magnitude = 0
    } else {
      var divisor: Int128 = 1
      for _ in 0..<(-exponent) { divisor *= 10 }
      let product = significand * Int128(scale)
      magnitude = product / divisor
      if (product % divisor) * 2 >= divisor { magnitude += 1 }
    }
    return negative ? -magnitude : magnitude
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
