extension Duration {
  /// Seconds as a Double, for display and arithmetic that may lose attoseconds.
  package var inSeconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) * 1e-18
  }
}

/// "1.002s" with a fixed number of decimals.
package func formatSeconds(_ duration: Duration, digits: Int) -> String {
  let value = duration.inSeconds
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let scaled = (abs(value) * scale).rounded()
  let whole = Int(scaled / scale)
  let fraction = Int(scaled - Double(whole) * scale)
  var text = (value < 0 && scaled > 0 ? "-" : "") + String(whole)
  if digits > 0 {
    let digitsText = String(fraction)
    text += "." + String(repeating: "0", count: digits - digitsText.count) + digitsText
  }
  return text + "s"
}

/// A duration as a person writes it, in the units scopelab reads: `2s`, `1.5s`,
/// `90s`, `2min`, `2h`, `500ms`, `250us`, `40ns`, `-1s`, `0s`.
///
/// Whole hours are shown in `h` and whole minutes in `min`; any other duration of a
/// second or more in seconds, a shorter one in the largest unit that leaves a whole
/// part (`ms`, `us`, `ns`). Works on the duration's integer components, rounded to the
/// nanosecond, so 0.3 s prints as `300ms`, never as `300.00000000000006ms`, and
/// scopelab's `UserDuration(parsing:)` reads every result back to the same duration.
public func formatDuration(_ duration: Duration) -> String {
  let (seconds, attoseconds) = duration.components
  let total = Int128(seconds) * 1_000_000_000_000_000_000 + Int128(attoseconds)
  var nanoseconds = total / 1_000_000_000
  if (total % 1_000_000_000).magnitude * 2 >= 1_000_000_000 { nanoseconds += total < 0 ? -1 : 1 }
  let sign = nanoseconds < 0 ? "-" : ""
  let magnitude = nanoseconds.magnitude
  let second: UInt128 = 1_000_000_000
  switch magnitude {
  case 0: return "0s"
  case second...:
    if magnitude % (3600 * second) == 0 { return sign + "\(magnitude / (3600 * second))h" }
    if magnitude % (60 * second) == 0 { return sign + "\(magnitude / (60 * second))min" }
    return sign + decimal(magnitude, scale: second) + "s"
  case 1_000_000...: return sign + decimal(magnitude, scale: 1_000_000) + "ms"
  case 1_000...: return sign + decimal(magnitude, scale: 1_000) + "us"
  default: return sign + "\(magnitude)ns"
  }
}

/// `value / scale` in decimal, without trailing zeros: 1500/1000 -> "1.5".
private func decimal(_ value: UInt128, scale: UInt128) -> String {
  let whole = value / scale
  var fraction = value % scale
  guard fraction != 0 else { return "\(whole)" }
  var digits = "\(scale)".count - 1
  while fraction % 10 == 0 {
    fraction /= 10
    digits -= 1
  }
  let text = "\(fraction)"
  return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
}
