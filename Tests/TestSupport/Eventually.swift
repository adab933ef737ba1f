import Glibc

/// Waits for a condition instead of sleeping a fixed time: polls `probe` every `interval`
/// seconds until it gives a value, and throws `failure` once `timeout` seconds have passed
/// without one. For tests that run no async code (it blocks its thread while it waits).
public func eventually<Value>(
  timeout: Double = 10, every interval: Double = 0.02,
  _ failure: @autoclosure () -> String, _ probe: () throws -> Value?
) throws -> Value {
  let deadline = PseudoTerminal.now() + timeout
  while true {
    if let value = try probe() { return value }
    if PseudoTerminal.now() > deadline { throw PseudoTerminal.Failure(description: failure()) }
    usleep(useconds_t(interval * 1_000_000))
  }
}

/// ``eventually(timeout:every:_:_:)`` for async tests: it waits with `Task.sleep`, and no
/// thread of the cooperative pool is held while it waits.
public func eventually<Value>(
  timeout: Double = 10, every interval: Double = 0.02,
  _ failure: @autoclosure () -> String, _ probe: () throws -> Value?
) async throws -> Value {
  let deadline = PseudoTerminal.now() + timeout
  while true {
    if let value = try probe() { return value }
    if PseudoTerminal.now() > deadline { throw PseudoTerminal.Failure(description: failure()) }
    try await Task.sleep(for: .seconds(interval))
  }
}
