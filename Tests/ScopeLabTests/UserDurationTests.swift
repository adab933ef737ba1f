import AsyncScope
import ScopeLab
import Testing

/// One duration as typed and what it must mean.
struct TypedDuration: Sendable, CustomTestStringConvertible {
  var text: String
  var duration: Duration

  init(_ text: String, _ duration: Duration) {
    self.text = text
    self.duration = duration
  }

  var testDescription: String { text }
}

@Suite("TO7: durations typed by users are validated")
struct UserDurationTests {
  /// Every unit, with whole, fractional and exponent numbers.
  static let everyUnit: [TypedDuration] = [
    .init("5ns", .nanoseconds(5)), .init("1.5ns", .nanoseconds(2)),
    .init("5us", .microseconds(5)), .init("1.5us", .nanoseconds(1500)),
    .init("5ms", .milliseconds(5)), .init("0.5ms", .microseconds(500)),
    .init("5s", .seconds(5)), .init("1.5s", .milliseconds(1500)),
    .init("2m", .seconds(120)), .init("1.5m", .seconds(90)),
    .init("2min", .seconds(120)), .init("0.5min", .seconds(30)),
    .init("2h", .seconds(7200)), .init("1.5h", .seconds(5400)),
    .init("1e3ms", .seconds(1)), .init("2E-3s", .milliseconds(2)),
  ]

  @Test("every unit", arguments: everyUnit)
  func units(typed: TypedDuration) throws {
    #expect(try UserDuration(parsing: typed.text).duration == typed.duration)
  }

  @Test("every unit, negative too", arguments: everyUnit)
  func negativeUnits(typed: TypedDuration) throws {
    #expect(try UserDuration(parsing: "-" + typed.text).duration == .zero - typed.duration)
  }

  @Test(
    "bare numbers are seconds; signs, points and exponents",
    arguments: [
      TypedDuration("2", .seconds(2)), .init("1.5", .milliseconds(1500)), .init("0", .zero),
      .init("-1", .seconds(-1)), .init("+3", .seconds(3)), .init(" 3 ", .seconds(3)),
      .init("1e-3", .milliseconds(1)), .init(".5", .milliseconds(500)), .init("5.", .seconds(5)),
      .init("-0", .zero), .init("007", .seconds(7)), .init("0.3", .milliseconds(300)),
      .init("1.000000001", .seconds(1) + .nanoseconds(1)),
      .init("123456789.123456789", .seconds(123_456_789) + .nanoseconds(123_456_789)),
    ])
  func bareNumbers(typed: TypedDuration) throws {
    #expect(try UserDuration(parsing: typed.text).duration == typed.duration)
  }

  @Test("inf and none mean no limit", arguments: ["inf", "none", " inf "])
  func unlimited(text: String) throws {
    #expect(try UserDuration(parsing: text).duration == nil)
  }

  @Test(
    "NaN, other spellings of infinity and garbage are errors, never crashes",
    arguments: [
      "nan", "NaN", "-nan", "", "abc", "1..2", "0x10", "--1", "1e", "s", "ms", "2 s s", "1-2",
      "-inf", "+inf", "INF", "infinity", "never", "3x", "3sec", "2S", "1 s", "1e5e5", "1.2.3",
      ".", "-", "e5", "1_000", "١", "5µs", "inf s", "1mins", "h", "min",
    ])
  func invalid(text: String) {
    #expect(throws: DurationError.self) { try UserDuration(parsing: text) }
  }

  @Test("the error lists every form")
  func errorMessage() {
    let error = #expect(throws: DurationError.self) { try UserDuration(parsing: "3x") }
    #expect(
      error?.description
        == "'3x' is not a duration: write a number with a unit ns, us, ms, s, m (or min), h"
        + " - bare numbers are seconds - or inf/none")
    for unit in UserDuration.units {
      #expect(UserDuration.forms.contains(unit.suffix))
      #expect(UserDuration.examples.contains(unit.suffix))
    }
  }

  @Test(
    "huge values are clamped, tiny ones round to the nanosecond, nothing overflows",
    arguments: [
      ("1e400", 1), ("1e300", 1), ("9e18h", 1), ("1e308h", 1), ("1e400ms", 1),
      ("99999999999999999999999999999999999999999", 1), ("1e100000000000000000000", 1),
      ("-1e400", -1), ("-9e18h", -1), ("1e9", 1), ("-1e9", -1),
    ])
  func clamped(text: String, sign: Int64) throws {
    let maximum = Int64(UserDuration.maximumSeconds)
    #expect(try UserDuration(parsing: text).duration == .seconds(sign * maximum))
  }

  @Test(
    "values below a nanosecond",
    arguments: [
      ("1e-20ns", Duration.zero), ("1e-400", .zero), ("0.4ns", .zero), ("0.5ns", .nanoseconds(1)),
      ("-0.5ns", .nanoseconds(-1)), ("0.0000000015", .nanoseconds(2)), ("1e-100000000000", .zero),
      ("0.000000000000000000000000000000000000000001h", .zero),
    ])
  func belowANanosecond(text: String, expected: Duration) throws {
    #expect(try UserDuration(parsing: text).duration == expected)
  }

  @Test("Double inputs: NaN is an error, infinity is no limit, huge values are clamped")
  func doubles() throws {
    #expect(throws: DurationError.self) { try UserDuration(seconds: .nan) }
    #expect(throws: DurationError.self) { try UserDuration(seconds: -.infinity) }
    #expect(try UserDuration(seconds: .infinity).duration == nil)
    let huge = try UserDuration(seconds: 1e300)
    #expect(huge.duration == .seconds(Int64(UserDuration.maximumSeconds)))
    let hugeNegative = try UserDuration(parsing: "-1e300")
    #expect(hugeNegative.duration == .seconds(-Int64(UserDuration.maximumSeconds)))
  }

  @Test("a clamped duration is usable as a deadline without overflow")
  func clampedDeadline() async throws {
    let limit = try UserDuration(parsing: "1e300").duration
    let value = try await withScope(Timeout(limit)) { 1 }
    #expect(value == 1)
  }
}

@Suite("Durations as a person writes them")
struct DurationFormattingTests {
  @Test(
    "formatDuration uses the integer components, never float noise",
    arguments: [
      (Duration.milliseconds(300), "300ms"), (.seconds(2), "2s"), (.milliseconds(1500), "1.5s"),
      (.microseconds(250), "250us"), (.microseconds(500), "500us"), (.zero, "0s"),
      (.seconds(-1), "-1s"), (.milliseconds(-300), "-300ms"), (.seconds(90), "90s"),
      (.seconds(60), "1min"), (.seconds(120), "2min"), (.seconds(5400), "90min"),
      (.seconds(7200), "2h"), (.seconds(-7200), "-2h"), (.seconds(3601), "3601s"),
      (.milliseconds(1001), "1.001s"), (.nanoseconds(40), "40ns"), (.nanoseconds(1500), "1.5us"),
      (.nanoseconds(1_000_000_001), "1.000000001s"), (.microseconds(1234), "1.234ms"),
      (.seconds(1_000_000_000), "1000000000s"),
    ])
  func format(duration: Duration, expected: String) {
    #expect(formatDuration(duration) == expected)
  }

  @Test("below a nanosecond rounds to the nearest; no duration overflows")
  func extremes() {
    #expect(formatDuration(.nanoseconds(1) / 3) == "0s")
    #expect(
      formatDuration(Duration(secondsComponent: 0, attosecondsComponent: 600_000_000)) == "1ns")
    #expect(formatDuration(.seconds(Int64.max)).hasSuffix("s"))
    #expect(formatDuration(.seconds(Int64.min)).hasPrefix("-"))
  }

  /// Durations in every unit, whole and not, positive and negative.
  static let roundTrip: [Duration] = [
    .zero, .nanoseconds(1), .nanoseconds(999), .nanoseconds(1001), .microseconds(500),
    .microseconds(999_999), .milliseconds(1), .milliseconds(300), .milliseconds(999),
    .seconds(1), .milliseconds(1500), .seconds(59), .seconds(60), .seconds(90), .seconds(3599),
    .seconds(3600), .seconds(5400), .seconds(7200), .seconds(86400),
    .seconds(123_456) + .nanoseconds(789), .seconds(999_999_999) + .nanoseconds(999_999_999),
    .seconds(1_000_000_000),
  ]

  @Test("what formatDuration prints parses back to the same duration", arguments: roundTrip)
  func roundTrips(duration: Duration) throws {
    for value in [duration, .zero - duration] {
      let text = formatDuration(value)
      #expect(try UserDuration(parsing: text).duration == value, "\(text)")
    }
  }

  @Test(
    "and every typed form shows in its own unit and parses back",
    arguments: UserDurationTests.everyUnit)
  func typedRoundTrips(typed: TypedDuration) throws {
    let value = try UserDuration(parsing: typed.text)
    #expect(try UserDuration(parsing: value.description) == value, "\(value)")
  }

  @Test("what `set sleep 0.3` stores prints as 300ms")
  func typedValue() throws {
    #expect(try UserDuration(parsing: "0.3").description == "300ms")
    #expect(try UserDuration(parsing: "1.5").description == "1.5s")
    #expect(try UserDuration(parsing: "90").description == "90s")
    #expect(try UserDuration(parsing: "120m").description == "2h")
    #expect(try UserDuration(parsing: "0.5ms").description == "500us")
    #expect(UserDuration.unlimited.description == "inf")
  }
}
