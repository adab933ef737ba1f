/// A measurement that did not go as it must (a timeout that did not fire).
struct BenchFailure: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) {
    self.description = description
  }
}
