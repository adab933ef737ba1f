/// How a child process ended: a result, not an error (PR3).
///
/// Shown in the trace as `exited(3)` or `signaled(15)`.
public enum ProcessStatus: Sendable, Hashable, CustomStringConvertible {
  /// The child called `exit` with this code.
  case exited(Int32)
  /// The child was terminated by this signal number.
  case signaled(Int32)

  /// Whether the child exited with code 0.
  public var isSuccess: Bool { self == .exited(0) }

  /// `exited(3)`, `signaled(15)`: the trace's spelling.
  public var description: String {
    switch self {
    case .exited(let code): "exited(\(code))"
    case .signaled(let signal): "signaled(\(signal))"
    }
  }
}
