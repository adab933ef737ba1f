import AsyncScope
import Testing

@Suite("TO7: durations typed by users are validated")
struct UserDurationTests {
  @Test(
    "valid forms",
    arguments: [
      ("2", Duration.seconds(2)), ("2s", .seconds(2)), ("1.5", .milliseconds(1500)),
      ("500ms", .milliseconds(500)), ("0", .zero), ("-1", .seconds(-1)),
      ("2m", .seconds(120)), (" 3 ", .seconds(3)), ("1e-3", .milliseconds(1)),
    ])
  func valid(text: String, expected: Duration) throws {
    #expect(try UserDuration(parsing: text).duration == expected)
  }

  @Test("inf and none mean no limit", arguments: ["inf", "none", "INF", "infinity"])
  func unlimited(text: String) throws {
    #expect(try UserDuration(parsing: text).duration == nil)
  }

  @Test(
    "NaN and garbage are errors, never crashes",
    arguments: ["nan", "NaN", "", "abc", "1..2", "0x10", "--1", "1e", "s", "ms", "2 s s", "1-2"])
  func invalid(text: String) {
    #expect(throws: DurationError.self) { try UserDuration(parsing: text) }
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
      (.microseconds(250), "0.25ms"), (.zero, "0s"), (.seconds(-1), "-1s"),
      (.milliseconds(-300), "-300ms"), (.seconds(120), "120s"), (.milliseconds(1001), "1.001s"),
    ])
  func format(duration: Duration, expected: String) {
    #expect(formatDuration(duration) == expected)
  }

  @Test("what `set sleep 0.3` stores prints as 300ms")
  func typedValue() throws {
    #expect(try UserDuration(parsing: "0.3").description == "300ms")
    #expect(try UserDuration(parsing: "1.5").description == "1.5s")
  }
}
