import AsyncScope

/// The values a timing token in a transcript accepts from the new output.
///
/// For an expected value of `e` seconds and a slack factor `F` (at least 1):
///
/// - lower edge: `e - h - 0.020`, never below 0: never more than 20 ms early;
/// - upper edge: `e + h + F * max(0.15 * e, 0.100)`: up to 15% or 100 ms late,
///   whichever is larger, and only this allowance grows with the slack;
///
/// where `h` is the precision widening: half the unit of the last digit written, so the
/// window holds everything that rounds to the written number, plus the allowances. It
/// applies to a number written with a fraction coarser than the trace's milliseconds:
/// `1.5s` (h = 0.05 s: 1.430 s to 1.775 s) and `0.25s` (h = 0.005 s). A number written to
/// the millisecond or finer (`2.001s`, `0.000s`, `2.5ms`) has h = 0: that is the trace's
/// own precision. A whole number (`2s`, `10s`, `250ms`) has h = 0 too: that is how a
/// duration is set (`timeout(2s)`), a 2 s deadline firing at 1.5 s is a bug the check
/// must catch, and so `2s` accepts 1.980 s to 2.300 s, like `2.000s`.
///
/// The edges are whole milliseconds, the trace's precision: the lower edge rounded up,
/// the upper one down. So `2.001s`, whose late allowance is 15% of 2.001 s (300.15 ms),
/// accepts 1.981 s to 2.301 s, and a value printed to the millisecond is accepted exactly
/// when it lies inside the unrounded window. Both edges belong to the window.
struct TimingWindow: Sendable, Equatable {
  /// The earliest value accepted, in whole milliseconds.
  var lowerMilliseconds: Double
  /// The latest value accepted, in whole milliseconds (infinite for an infinite slack).
  var upperMilliseconds: Double

  /// How early a value may be, in seconds.
  static let earlyAllowance = 0.020
  /// The smallest late allowance, in seconds, before the slack factor.
  static let minimumLateAllowance = 0.100
  /// The late allowance as a fraction of the expected value, before the slack factor.
  static let lateFraction = 0.15
  /// How far a value may stray from an edge and still count as on it, in milliseconds:
  /// room for the binary rounding of decimal numbers, far below what a trace can show.
  private static let tolerance = 1e-6

  /// The window for `expected`, its late allowance multiplied by `slack`, and its upper
  /// edge moved later by `busy` (``SchedulingProbe/widening(forLateness:)``: the check's
  /// allowance for a busy machine). The lower edge never moves.
  init(for expected: TimingToken, slack: Double, widening busy: Duration = .zero) {
    let value = expected.seconds
    let widening = Self.precisionWidening(of: expected)
    let late = max(Self.lateFraction * value, Self.minimumLateAllowance) * slack
    let lower = (value - widening - Self.earlyAllowance) * 1000
    let upper = (value + widening + late + max(0, busy.inSeconds)) * 1000
    lowerMilliseconds = max(0, (lower - Self.tolerance).rounded(.up))
    upperMilliseconds = (upper + Self.tolerance).rounded(.down)
  }

  /// Half the unit of the last digit written, in seconds, for a fraction of seconds
  /// coarser than a millisecond (one or two decimals); 0 for any other token.
  static func precisionWidening(of token: TimingToken) -> Double {
    guard token.unit == .seconds, (1...2).contains(token.decimals) else { return 0 }
    var unit = 1.0
    for _ in 0..<token.decimals { unit /= 10 }
    return unit / 2
  }

  /// Whether `seconds` lies inside the window.
  func contains(_ seconds: Double) -> Bool {
    let milliseconds = seconds * 1000
    return milliseconds >= lowerMilliseconds - Self.tolerance
      && milliseconds <= upperMilliseconds + Self.tolerance
  }

  /// Whether `seconds` lies before the window.
  func isEarly(_ seconds: Double) -> Bool {
    seconds * 1000 < lowerMilliseconds - Self.tolerance
  }

  /// The edges as the problem report shows them, in the unit `expected` was written in:
  /// `1.981s to 2.301s`, `230ms to 350ms`.
  func describe(in unit: TimingToken.Unit) -> String {
    "\(Self.describe(lowerMilliseconds, in: unit)) to \(Self.describe(upperMilliseconds, in: unit))"
  }

  /// A whole number of milliseconds as `2.301s` or `2301ms`.
  private static func describe(_ milliseconds: Double, in unit: TimingToken.Unit) -> String {
    guard milliseconds.isFinite, milliseconds < 1e15 else {
      return unit == .seconds ? "infs" : "infms"
    }
    let whole = Int(milliseconds)
    guard unit == .seconds else { return "\(whole)ms" }
    let fraction = String(whole % 1000)
    return "\(whole / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)s"
  }
}
