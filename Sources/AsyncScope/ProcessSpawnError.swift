import PosixThread
import Subprocess

#if canImport(System)
  import System
#else
  import SystemPackage
#endif

/// A process scope could not start its child: the command was not found, or spawning
/// failed. An enter failure (W1, PR1): nothing was spawned and exit does not run.
///
/// Like swift-subprocess's `SubprocessError`, it keeps its cause - a ``code`` that says
/// what went wrong and the ``errno`` of the call that failed - and its codes are values
/// of a struct, not cases of an enum, so new ones can come without breaking a `switch`.
/// ``name`` and ``message`` are Python's words for the same failure: `FileNotFoundError`,
/// `[Errno 2] No such file or directory: 'cmd'`.
public struct ProcessSpawnError: Error, Hashable, CustomStringConvertible {
  /// What went wrong.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int

    public init(rawValue: Int) {
      self.rawValue = rawValue
    }

    /// The command was not found on `PATH`, or its path does not exist.
    public static let commandNotFound = Code(rawValue: 1)
    /// The command exists but may not be executed (a directory, no execute permission).
    public static let permissionDenied = Code(rawValue: 2)
    /// The argument list was empty, or its command an empty string.
    public static let noCommand = Code(rawValue: 3)
    /// Spawning or executing failed otherwise (see ``ProcessSpawnError/errno``).
    public static let spawnFailed = Code(rawValue: 4)

    public var description: String {
      switch self {
      case .commandNotFound: "commandNotFound"
      case .permissionDenied: "permissionDenied"
      case .noCommand: "noCommand"
      case .spawnFailed: "spawnFailed"
      default: "code \(rawValue)"
      }
    }
  }

  public let code: Code
  /// The command as given (`arguments[0]`).
  public let command: String
  /// The errno of the call that failed (`ENOENT`, `EACCES`, `ENOEXEC`, ...), if one did.
  public let errno: Int32?
  /// Python's exception class for it: `FileNotFoundError`, `PermissionError`, `OSError`.
  public let name: String
  /// Python's wording: `[Errno 2] No such file or directory: 'cmd'`.
  public let message: String

  /// A failed call, worded as Python words the `OSError` it raises: the class from the
  /// errno, and `[Errno N] <strerror(N)>: 'command'`.
  public init(code: Code, command: String, errno: Int32) {
    self.code = code
    self.command = command
    self.errno = errno
    self.name =
      switch errno {
      case Syscall.noSuchFile: "FileNotFoundError"
      case Syscall.permissionDenied, Syscall.notPermitted: "PermissionError"
      default: "OSError"
      }
    self.message = "[Errno \(errno)] \(Syscall.reason(errno)): '\(command)'"
  }

  /// A failure that no errno describes.
  public init(code: Code, command: String, name: String = "OSError", message: String) {
    self.code = code
    self.command = command
    self.errno = nil
    self.name = name
    self.message = message
  }

  public var description: String { "\(name): \(message)" }
}

extension ProcessSpawnError {
  /// The command does not exist: Python's `[Errno 2] No such file or directory: 'cmd'`.
  public static func fileNotFound(_ command: String) -> ProcessSpawnError {
    ProcessSpawnError(code: .commandNotFound, command: command, errno: Syscall.noSuchFile)
  }

  /// The path exists but cannot be run (a directory, or no execute permission):
  /// Python's `[Errno 13] Permission denied: 'path'`.
  public static func permissionDenied(_ command: String) -> ProcessSpawnError {
    ProcessSpawnError(
      code: .permissionDenied, command: command, errno: Syscall.permissionDenied)
  }
}

extension ProcessSpawnError {
  /// The failure to execute `command` with `errno`: what the exec trampoline reports.
  /// Not found or denied, a path that is there is a permission problem, as in Python.
  package init(executing command: String, errno: Int32) {
    switch errno {
    case Syscall.noSuchFile, Syscall.permissionDenied:
      let isPath = command.contains("/")
      self =
        isPath && Syscall.fileExists(command)
        ? .permissionDenied(command) : .fileNotFound(command)
    default:
      self.init(code: .spawnFailed, command: command, errno: errno)
    }
  }

  /// A failure of swift-subprocess to resolve, spawn or monitor `command`.
  package init(spawning command: String, failure: any Error) {
    guard let failure = failure as? SubprocessError else {
      self.init(code: .spawnFailed, command: command, message: String(describing: failure))
      return
    }
    if failure.code == .executableNotFound {
      self.init(executing: command, errno: Syscall.noSuchFile)
    } else if let errno = failure.underlyingError?.rawValue {
      self.init(executing: command, errno: errno)
    } else {
      self.init(code: .spawnFailed, command: command, message: failure.description)
    }
  }
}
