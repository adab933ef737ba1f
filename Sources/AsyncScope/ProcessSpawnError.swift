/// A process scope could not start its child: the command was not found, or spawning
/// failed. An enter failure (W1, PR1): nothing was spawned and exit does not run.
public struct ProcessSpawnError: Error, Equatable, CustomStringConvertible {
  /// `FileNotFoundError` when the command does not exist, `OSError` otherwise.
  public let name: String
  /// Python's wording: `[Errno 2] No such file or directory: 'cmd'`.
  public let message: String

  public init(name: String, message: String) {
    self.name = name
    self.message = message
  }

  public var description: String { "\(name): \(message)" }
}

extension ProcessSpawnError {
  /// The command does not exist: Python's `[Errno 2] No such file or directory: 'cmd'`.
  public static func fileNotFound(_ command: String) -> ProcessSpawnError {
    ProcessSpawnError(
      name: "FileNotFoundError",
      message: "[Errno 2] No such file or directory: '\(command)'"
    )
  }

  /// The path exists but cannot be run (a directory, or no execute permission):
  /// Python's `[Errno 13] Permission denied: 'path'`.
  public static func permissionDenied(_ command: String) -> ProcessSpawnError {
    ProcessSpawnError(
      name: "PermissionError",
      message: "[Errno 13] Permission denied: '\(command)'"
    )
  }
}
