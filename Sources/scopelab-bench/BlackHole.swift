/// Keeps a result alive, so the optimizer cannot delete the loop that produced it.
enum BlackHole {
  nonisolated(unsafe) private static var sink = 0

  @inline(never)
  static func consume(_ value: Int?) {
    sink &+= value ?? 1
  }
}
