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

/// A duration as a person writes it: "2s", "500ms", "1.5s".
public func formatDuration(_ duration: Duration) -> String {
  let value = duration.inSeconds
  if value != 0 && abs(value) < 1 {
    let ms = value * 1000
    return ms == ms.rounded() ? "\(Int(ms))ms" : "\(ms)ms"
  }
  if value == value.rounded() && abs(value) < 1e15 { return "\(Int(value))s" }
  return "\(value)s"
}
