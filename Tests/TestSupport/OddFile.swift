import Dispatch
import Glibc
import Synchronization

/// Odd things where a file is expected - a FIFO, a link to a device - and a way to call
/// code that might block on them without hanging the suite.
public enum OddFile {
  /// Makes a FIFO (named pipe) at `path`.
  public static func makeFIFO(_ path: String) throws {
    guard mkfifo(path, 0o600) == 0 else {
      throw PseudoTerminal.Failure(description: "mkfifo \(path) failed: errno \(errno)")
    }
  }

  /// Makes a symbolic link at `path` pointing to `target`.
  public static func link(_ path: String, to target: String) throws {
    guard symlink(target, path) == 0 else {
      throw PseudoTerminal.Failure(description: "symlink \(path) failed: errno \(errno)")
    }
  }

  /// Runs `body` on another thread and waits up to `seconds` for it. If it has not returned
  /// by then - blocked opening or reading the FIFO at `fifo` - the FIFO's other ends are
  /// opened and closed so that it ends (at end of file), and the answer is `nil`.
  public static func promptly<T: Sendable>(
    within seconds: Double = 10, unblocking fifo: String, _ body: @escaping @Sendable () -> T
  ) -> T? {
    let result = Mutex<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      let value = body()
      result.withLock { $0 = value }
      done.signal()
    }
    if done.wait(timeout: .now() + seconds) == .success {
      return result.withLock { $0 }
    }
    for _ in 0..<50 {
      for flags in [O_WRONLY | O_NONBLOCK, O_RDONLY | O_NONBLOCK] {
        let fd = open(fifo, flags)
        if fd >= 0 { close(fd) }
      }
      if done.wait(timeout: .now() + 0.1) == .success { break }
    }
    return nil
  }
}
