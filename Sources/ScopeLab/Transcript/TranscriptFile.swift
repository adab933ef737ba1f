import LineEditor

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A transcript file open for writing, written with `write(2)` and nothing buffered in
/// between, so a line written is in the file even if scopelab is killed the next moment.
///
/// Every C call the transcripts make goes through here. The owner closes it (``close()``).
struct TranscriptFile: Sendable {
  let path: String
  private let fd: Int32

  /// Creates `path` for writing: with `O_CREAT | O_EXCL` unless `overwrite`, so an
  /// existing file is never clobbered (not even one created a moment ago by someone else);
  /// with `O_TRUNC` when `overwrite`. Never through a symbolic link (`O_NOFOLLOW`), and
  /// only a regular file: a FIFO or a device is refused, not waited on or written to.
  init(creating path: String, overwrite: Bool) throws(TranscriptFileError) {
    if Self.isDirectory(path) { throw TranscriptFileError(path: path, reason: .isDirectory) }
    let flags =
      O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | (overwrite ? O_TRUNC : O_EXCL)
    var fd: Int32
    repeat { fd = open(path, flags, 0o644) } while fd < 0 && errno == EINTR
    guard fd >= 0 else { throw TranscriptFileError(path: path, errno: errno) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      _ = Glibc.close(fd)
      throw TranscriptFileError(path: path, reason: .other("it is not a regular file"))
    }
    // Writes to a regular file never block: O_NONBLOCK was only for the open.
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    self.path = path
    self.fd = fd
  }

  /// `fsync(2)`: whether what was written is on the disk.
  func sync() -> Bool {
    fsync(fd) == 0
  }

  /// `close(2)`.
  func close() {
    _ = Glibc.close(fd)
  }

  /// Writes all of `text`, retrying short writes and EINTR; the errno if it fails.
  func write(_ text: String) -> Int32? {
    var text = text
    return text.withUTF8 { bytes in
      var offset = 0
      while offset < bytes.count {
        let count = Glibc.write(fd, bytes.baseAddress?.advanced(by: offset), bytes.count - offset)
        if count < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += count
      }
      return nil
    }
  }

  /// `stat(2)`: whether `path` names a directory.
  static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// `stat(2)`: whether anything exists at `path` (a dangling symbolic link counts).
  static func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  /// `stat(2)`: whether `first` and `second` name the same file (links followed).
  static func isSameFile(_ first: String, _ second: String) -> Bool {
    var one = stat()
    var other = stat()
    guard stat(first, &one) == 0, stat(second, &other) == 0 else { return false }
    return one.st_dev == other.st_dev && one.st_ino == other.st_ino
  }

  /// Words for an errno: ``RegularFile/reason(_:)``, the one table.
  static func describe(errno number: Int32) -> String {
    RegularFile.reason(number)
  }
}

/// Why a transcript file cannot be created or written.
public struct TranscriptFileError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    /// Something is already there (and overwriting was not asked for).
    case exists
    /// A directory on the way does not exist.
    case noDirectory
    /// The path names a directory.
    case isDirectory
    /// Not allowed to create or write it.
    case permissionDenied
    /// A write failed (the disk is full, ...): `strerror`'s words.
    case writeFailed(String)
    /// Anything else: `strerror`'s words.
    case other(String)
  }

  public let path: String
  public let reason: Reason

  public init(path: String, reason: Reason) {
    self.path = path
    self.reason = reason
  }

  init(path: String, errno number: Int32) {
    self.path = path
    switch number {
    case EEXIST: reason = .exists
    case ENOENT, ENOTDIR: reason = .noDirectory
    case EISDIR: reason = .isDirectory
    case ELOOP: reason = .other("it is a symbolic link, not followed")
    case ENXIO: reason = .other("it is not a regular file")
    case EACCES, EPERM, EROFS: reason = .permissionDenied
    default: reason = .other(TranscriptFile.describe(errno: number))
    }
  }

  /// The directory `path` is in, as written (`.` for a bare name).
  var directory: String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// One sentence, without `error:`.
  public var description: String {
    switch reason {
    case .exists: "\(path) exists"
    case .noDirectory: "cannot record to \(path): there is no directory \(directory)"
    case .isDirectory: "cannot record to \(path): it is a directory"
    case .permissionDenied: "cannot record to \(path): permission denied"
    case .writeFailed(let problem): "writing \(path) failed: \(problem)"
    case .other(let problem): "cannot record to \(path): \(problem)"
    }
  }
}
