/// Starts `operation` in a new unstructured task that runs on the calling thread until
/// its first suspension (`Task.immediate`, SE-0472): no executor hop, and a body that
/// never suspends has finished when this returns. Where `Task.immediate` is not
/// available, a plain `Task`. Task-locals are inherited either way.
///
/// `operation` has the type the `Task` initializers take, so a closure passed here
/// reaches the task as it is, with no reabstraction thunk around it.
@inlinable
func startImmediately<R: Sendable>(
  _ operation: sending @escaping @isolated(any) () async throws -> R
) -> Task<R, any Error> {
  if #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
    return Task.immediate(operation: operation)
  }
  return Task(operation: operation)
}

/// ``startImmediately(_:)`` for an operation that cannot throw.
@inlinable
func startImmediately<R: Sendable>(
  _ operation: sending @escaping @isolated(any) () async -> R
) -> Task<R, Never> {
  if #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
    return Task.immediate(operation: operation)
  }
  return Task(operation: operation)
}
