extension Duration {
  /// Seconds as a Double, for display and arithmetic that may lose attoseconds.
  public var inSeconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) * 1e-18
  }
}

/// "1.002s" with a fixed number of decimals.
public func formatSeconds(_ duration: Duration, digits: Int) -> String {
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

/// A duration as a person writes it: "2s", "500ms", "1.5s", "0.25ms".
///
/// Works on the duration's integer components, so 0.3 s prints as `300ms`, never as
/// `300.00000000000006ms`; shown to the microsecond at most.
public func formatDuration(_ duration: Duration) -> String {
  let (wholeSeconds, attoseconds) = duration.components
  let micros = wholeSeconds * 1_000_000 + (attoseconds / 1_000_000_000_000)
  let sign = micros < 0 ? "-" : ""
  let magnitude = micros.magnitude
  if magnitude != 0 && magnitude < 1_000_000 {
    return sign + decimal(magnitude, scale: 1000) + "ms"
  }
  return sign + decimal(magnitude, scale: 1_000_000) + "s"
}

/// `value / scale` in decimal, without trailing zeros: 1500/1000 -> "1.5".
private func decimal(_ value: UInt64, scale: UInt64) -> String {
  let whole = value / scale
  var fraction = value % scale
  guard fraction != 0 else { return String(whole) }
  var digits = String(scale).count - 1
  while fraction % 10 == 0 {
    fraction /= 10
    digits -= 1
  }
  let text = String(fraction)
  return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
}
