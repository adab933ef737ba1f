import AsyncScope
import LineEditor
import PosixThread

/// Where scopelab writes text: the terminal, a pipe, or memory in tests.
public protocol TextOutput: Sendable {
  /// Writes `text` at once (no buffering until later).
  func write(_ text: String)
}

/// Standard output or standard error, flushed after every write.
public struct StandardOutput: TextOutput {
  public enum Stream: Sendable {
    case output, error
  }

  public let stream: Stream

  public init(_ stream: Stream = .output) {
    self.stream = stream
  }

  public func write(_ text: String) {
    let written = Syscall.writeAll(stream == .output ? 1 : 2, text)
    if case .failure(let error) = written, error == .brokenPipe { Self.reportBrokenPipe() }
  }

  private static let brokenPipeHandler = Locked<(@Sendable () -> Void)?>(nil)

  /// What to do, once, when a write finds the reader gone (`scopelab run ... | head -1`).
  ///
  /// With SIGPIPE ignored, a write to a closed pipe fails with EPIPE instead of killing
  /// scopelab on the spot - which would leave its children running. The app cancels the
  /// run here, so every exit runs and every child is torn down, then exits.
  public static func onBrokenPipe(_ handler: @escaping @Sendable () -> Void) {
    brokenPipeHandler.withLock { $0 = handler }
  }

  private static func reportBrokenPipe() {
    let handler = brokenPipeHandler.withLock { handler in
      defer { handler = nil }
      return handler
    }
    handler?()
  }

  /// Whether this stream is a terminal.
  public var isTerminal: Bool { Terminal.isTerminal(stream == .output ? 1 : 2) }
}

/// Text kept in memory, for tests and for `trace` to reprint.
public final class CapturedOutput: TextOutput {
  private let storage = LockedText()

  public init() {}

  public func write(_ text: String) { storage.append(text) }

  public var text: String { storage.value }

  /// The text written since the last call (since the start, the first time), which is
  /// then forgotten: each call costs only what it returns.
  public func take() -> String { storage.take() }
}

/// A string behind a lock.
final class LockedText: Sendable {
  private let lock = Locked("")

  func append(_ text: String) { lock.withLock { $0 += text } }
  var value: String { lock.withLock { $0 } }

  /// The text, which is emptied.
  func take() -> String {
    lock.withLock { text in
      defer { text = "" }
      return text
    }
  }
}
