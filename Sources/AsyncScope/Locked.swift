import Synchronization

/// A value behind a mutex, usable as a stored property of a `Sendable` class.
package final class Locked<Value: Sendable>: Sendable {
  private let mutex: Mutex<Value>

  package init(_ value: Value) {
    mutex = Mutex(value)
  }

  package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
    try mutex.withLock { try body(&$0) }
  }
}
