import Glibc
import PosixThread

/// The one way scopelab reads, replaces and writes the files it keeps or is given
/// (history, progress, transcripts, lessons, asciicasts): regular files only, read up to a
/// limit, replaced atomically or written as it goes, never through a symbolic link; and
/// the one table of words for a file call's errno (``reason(_:)``).
///
/// - Reading opens with `O_NONBLOCK` and then checks with `fstat(2)` what was opened,
///   so a FIFO, a device (`/dev/zero`) or a directory is refused at once instead of
///   hanging or filling memory; no more than the limit is ever read.
/// - Replacing writes a temporary file created exclusively (`O_CREAT | O_EXCL |
///   O_NOFOLLOW`, a random name beside the target), syncs it and renames it over the
///   target. A symbolic link (or anything but a regular file) at the target is refused,
///   never written through; a new file keeps the old one's permissions.
/// - Writing as it goes (``create(_:overwrite:permissions:)``) opens the file itself,
///   exclusively unless told to overwrite, never through a symbolic link, and only a
///   regular file; ``createTemporary(_:suffix:)`` so in `/tmp` under a new random name,
///   and ``createTemporaryDirectory(in:prefix:)`` a directory of this user's only.
public enum RegularFile {
  /// Why a file could not be read or replaced: a phrase that follows the path, e.g.
  /// "no such file" or "is a named pipe (FIFO), not a transcript".
  public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
      /// Nothing is there (or a directory on the way is missing): `ENOENT`, `ENOTDIR`.
      case missing
      /// Something is already there: `EEXIST` (a file created exclusively).
      case exists
      /// Not allowed: `EACCES`, `EPERM`, `EROFS`.
      case denied
      /// Something is there that is not a regular file: a FIFO, a device, a directory, a link.
      case notRegular
      /// The file holds more than the limit.
      case tooLarge
      /// Any other failure (a full disk...).
      case other
    }

    public var kind: Kind
    public var description: String
    /// The errno of the call that failed, when a call failed (not for a refusal).
    public var code: CInt?

    public init(kind: Kind, description: String, code: CInt? = nil) {
      self.kind = kind
      self.description = description
      self.code = code
    }
  }

  /// The most a text file scopelab reads may hold (a transcript, a lesson, a program
  /// `edit` gave back, the progress file): text a person can read is not larger.
  public static let textLimit = 16 << 20

  /// The bytes of the regular file at `path`, at most `limit` of them: a larger file is
  /// ``Problem/Kind/tooLarge``. `noun` names what the file should be, for the problem
  /// ("is a directory, not a transcript").
  public static func read(
    _ path: String, limit: Int, noun: String = "a regular file"
  ) throws(Problem) -> [UInt8] {
    let fd = try openForReading(path, noun: noun)
    defer { Syscall.close(fd) }
    let bytes = try readUpTo(fd, count: limit + 1)
    guard bytes.count <= limit else {
      throw Problem(kind: .tooLarge, description: "is larger than \(size(limit)): not \(noun)")
    }
    return bytes
  }

  /// The last `limit` bytes of the regular file at `path`, and whether there was more
  /// before them (a larger file is read from its end, for a log whose newest lines count).
  public static func readTail(
    _ path: String, limit: Int, noun: String = "a regular file"
  ) throws(Problem) -> (bytes: [UInt8], truncated: Bool) {
    let fd = try openForReading(path, noun: noun)
    defer { Syscall.close(fd) }
    if case .success(let info) = Syscall.status(of: fd), Int(info.st_size) > limit {
      if case .failure(let error) = Syscall.seek(fd, to: Int(info.st_size) - limit) {
        throw problem(error.rawValue)
      }
      return (try readUpTo(fd, count: limit), true)
    }
    let bytes = try readUpTo(fd, count: limit + 1)
    return bytes.count > limit ? (Array(bytes.prefix(limit)), true) : (bytes, false)
  }

  /// Replaces the file at `path` with `text` in one step (see the type's description).
  /// `permissions` are the new file's when there is no file yet (less the umask).
  public static func replace(_ path: String, with text: String, permissions: Int = 0o644)
    throws(Problem)
  {
    var existing: mode_t? = nil
    if case .success(let info) = Syscall.status(path, followingLinks: false) {
      let type = info.st_mode & S_IFMT
      guard type != S_IFLNK else {
        throw Problem(
          kind: .notRegular,
          description: "is a symbolic link: not replaced, so as not to write where it points")
      }
      guard type == S_IFREG else {
        throw Problem(kind: .notRegular, description: "\(typeName(type)): not replaced")
      }
      existing = info.st_mode & 0o7777
    }
    var fd: CInt = -1
    var temporary = ""
    for _ in 0..<16 {
      temporary = "\(path).tmp-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
      let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW
      switch Syscall.open(temporary, flags, mode: existing == nil ? mode_t(permissions) : 0o600) {
      case .success(let opened): fd = opened
      case .failure(let error) where error.rawValue == EEXIST: continue
      case .failure(let error): throw problem(error.rawValue)
      }
      break
    }
    guard fd >= 0 else { throw problem(EEXIST) }
    if let existing { Syscall.setPermissions(fd, existing) }
    let done = Syscall.writeAll(fd, text).flatMap { Syscall.sync(fd) }
    Syscall.close(fd)
    if case .failure(let error) = done.flatMap({ Syscall.rename(temporary, path) }) {
      Syscall.remove(temporary)
      throw problem(error.rawValue)
    }
  }

  /// A regular file open for writing, written with `write(2)` and nothing buffered in
  /// between, so a line written is in the file even if the process is killed the next
  /// moment. The owner closes it (``close()``).
  public struct Output: Sendable {
    public let path: String
    private let fd: CInt

    fileprivate init(path: String, fd: CInt) {
      self.path = path
      self.fd = fd
    }

    /// Writes all of `text`, retrying short writes and EINTR; why not, if it failed.
    public func write(_ text: String) -> Problem? {
      guard case .failure(let error) = Syscall.writeAll(fd, text) else { return nil }
      return RegularFile.problem(error.rawValue)
    }

    /// `close(2)`.
    public func close() {
      Syscall.close(fd)
    }
  }

  /// Creates `path` for writing as it goes: with `O_CREAT | O_EXCL` unless `overwrite`, so
  /// an existing file is never clobbered (not even one created a moment ago by someone
  /// else); with `O_TRUNC` when `overwrite`. Never through a symbolic link (`O_NOFOLLOW`:
  /// ``Problem/Kind/notRegular``, "is a symbolic link, not followed"), and only a regular
  /// file: a FIFO or a device is refused, not waited on or written to. A failed call's
  /// problem carries its errno (``Problem/code``): `EEXIST` for an existing file.
  public static func create(_ path: String, overwrite: Bool, permissions: Int = 0o644)
    throws(Problem) -> Output
  {
    let flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | (overwrite ? O_TRUNC : O_EXCL)
    let fd: CInt
    switch Syscall.open(path, flags, mode: mode_t(permissions)) {
    case .success(let opened): fd = opened
    case .failure(let error) where error.rawValue == ELOOP && isSymbolicLink(path):
      throw Problem(
        kind: .notRegular, description: "is a symbolic link, not followed", code: ELOOP)
    case .failure(let error): throw problem(error.rawValue)
    }
    guard case .success(let info) = Syscall.status(of: fd), (info.st_mode & S_IFMT) == S_IFREG
    else {
      Syscall.close(fd)
      throw Problem(kind: .notRegular, description: "is not a regular file")
    }
    // Writes to a regular file never block: O_NONBLOCK was only for the open.
    Syscall.setBlocking(fd)
    return Output(path: path, fd: fd)
  }

  /// Creates a new file of this user's only (mode 0600) in `/tmp`, `prefix-RANDOM` and
  /// `suffix` (`.scope`), as ``create(_:overwrite:permissions:)`` does without overwrite:
  /// a name already taken is never opened, another random one is tried.
  public static func createTemporary(_ prefix: String, suffix: String) throws(Problem)
    -> Output
  {
    for _ in 0..<16 {
      let name = String(UInt64.random(in: 0...UInt64.max), radix: 36)
      do {
        return try create("/tmp/\(prefix)-\(name)\(suffix)", overwrite: false, permissions: 0o600)
      } catch  where error.code == EEXIST {
        continue
      }
    }
    throw problem(EEXIST)
  }

  /// Creates a new directory of this user's only (mode 0700) in `folder`, `prefix-RANDOM`;
  /// its path. The owner removes what it puts there, then the directory
  /// (``removeDirectory(_:)``).
  public static func createTemporaryDirectory(in folder: String, prefix: String)
    throws(Problem) -> String
  {
    switch Syscall.makeTemporaryDirectory(folder + "/" + prefix + "-") {
    case .success(let path): return path
    case .failure(let error): throw problem(error.rawValue)
    }
  }

  /// Removes the empty directory at `path`; errors ignored.
  public static func removeDirectory(_ path: String) {
    Syscall.removeDirectory(path)
  }

  /// Moves the file at `path` to `destination` without replacing what is there: `link(2)`
  /// then `unlink(2)` (another process may take the name at any moment), `rename(2)` where
  /// links cannot be made. `nil` when moved, else the errno: `EEXIST` when the name is taken.
  public static func move(_ path: String, toNew destination: String) -> CInt? {
    if exists(destination) { return EEXIST }
    switch Syscall.link(path, destination) {
    case .success:
      Syscall.remove(path)
      return nil
    case .failure(let error) where error.rawValue == EEXIST: return EEXIST
    case .failure: break
    }
    if case .failure(let error) = Syscall.rename(path, destination) { return error.rawValue }
    return nil
  }

  /// `stat(2)`: whether `path` names a directory (symbolic links followed).
  public static func isDirectory(_ path: String) -> Bool {
    Syscall.isDirectory(path)
  }

  /// `lstat(2)`: whether anything exists at `path` (a dangling symbolic link counts).
  public static func exists(_ path: String) -> Bool {
    if case .success = Syscall.status(path, followingLinks: false) { return true }
    return false
  }

  /// `stat(2)`: whether `first` and `second` name the same file (links followed).
  public static func isSameFile(_ first: String, _ second: String) -> Bool {
    guard case .success(let one) = Syscall.status(first),
      case .success(let other) = Syscall.status(second)
    else { return false }
    return one.st_dev == other.st_dev && one.st_ino == other.st_ino
  }

  /// Removes the file at `path` (a link itself, never what it points to); errors ignored.
  public static func remove(_ path: String) {
    Syscall.remove(path)
  }

  /// Runs `body` holding an exclusive `flock(2)` on `lockPath` (created if missing, never
  /// through a link). Waits up to about two seconds for the lock, then runs `body`
  /// without it: an atomic replace still keeps the file whole.
  public static func withLock<T>(_ lockPath: String, _ body: () throws -> T) rethrows -> T {
    var lockFD: CInt? = nil
    if case .success(let fd) = Syscall.open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK) {
      lockFD = fd
      for _ in 0..<200 {
        if Syscall.tryLockExclusive(fd) { break }
        Syscall.sleep(microseconds: 10_000)
      }
    }
    defer {
      if let lockFD {
        Syscall.unlock(lockFD)
        Syscall.close(lockFD)
      }
    }
    return try body()
  }

  /// `getcwd(3)`: the working directory (`.` if it cannot be had).
  public static func workingDirectory() -> String {
    Syscall.workingDirectory() ?? "."
  }

  /// `realpath(3)`: the file's full path, links and `..` resolved; for a file that is not
  /// there (any more), `path` made absolute from the working directory.
  public static func canonicalPath(_ path: String) -> String {
    if let resolved = Syscall.realPath(path) { return resolved }
    return path.hasPrefix("/") ? path : workingDirectory() + "/" + path
  }

  /// Words for an errno from a file call: "no such file", "permission denied", ...
  public static func reason(_ code: CInt) -> String {
    switch code {
    case ENOENT: "no such file"
    case EACCES, EPERM: "permission denied"
    case ENOTDIR: "a part of the path is not a directory"
    case ENOSPC: "no space left on the device"
    case EROFS: "the file system is read-only"
    case ELOOP: "is a symbolic link (or a loop of them)"
    case EISDIR: "is a directory"
    case ENXIO: "is a socket or a device with nothing behind it, not a regular file"
    default: "\(Errno(rawValue: code)) (errno \(code))"
    }
  }

  // MARK: - Internals

  fileprivate static func problem(_ code: CInt) -> Problem {
    let kind: Problem.Kind =
      switch code {
      case ENOENT, ENOTDIR: .missing
      case EEXIST: .exists
      case EACCES, EPERM, EROFS: .denied
      case EISDIR: .notRegular
      default: .other
      }
    return Problem(kind: kind, description: reason(code), code: code)
  }

  /// `lstat(2)`: whether `path` is a symbolic link.
  private static func isSymbolicLink(_ path: String) -> Bool {
    guard case .success(let info) = Syscall.status(path, followingLinks: false) else {
      return false
    }
    return (info.st_mode & S_IFMT) == S_IFLNK
  }

  /// Opens `path` for reading without blocking (a FIFO with no writer would block
  /// `open(2)`) and checks, on the descriptor, that it is a regular file.
  private static func openForReading(_ path: String, noun: String) throws(Problem) -> CInt {
    let fd: CInt
    switch Syscall.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY) {
    case .success(let opened): fd = opened
    case .failure(let error): throw problem(error.rawValue)
    }
    let info: stat
    switch Syscall.status(of: fd) {
    case .success(let status): info = status
    case .failure(let error):
      Syscall.close(fd)
      throw problem(error.rawValue)
    }
    let type = info.st_mode & S_IFMT
    guard type == S_IFREG else {
      Syscall.close(fd)
      throw Problem(kind: .notRegular, description: "\(typeName(type)), not \(noun)")
    }
    return fd
  }

  /// Reads until end of file or `count` bytes.
  private static func readUpTo(_ fd: CInt, count: Int) throws(Problem) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while bytes.count < count {
      let wanted = min(chunk.count, count - bytes.count)
      let result = chunk.withUnsafeMutableBytes {
        Syscall.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<wanted]))
      }
      switch result {
      case .success(0): return bytes
      case .success(let read): bytes += chunk[0..<read]
      case .failure(let error): throw problem(error.rawValue)
      }
    }
    return bytes
  }

  /// "is a directory", "is a named pipe (FIFO)", ... for a file type from `st_mode`.
  private static func typeName(_ type: mode_t) -> String {
    switch type {
    case S_IFDIR: "is a directory"
    case S_IFIFO: "is a named pipe (FIFO)"
    case S_IFCHR, S_IFBLK: "is a device"
    case S_IFSOCK: "is a socket"
    case S_IFLNK: "is a symbolic link"
    default: "is not a regular file"
    }
  }

  /// "16 MiB", "1 MiB", "512 KiB", "100 bytes".
  static func size(_ bytes: Int) -> String {
    if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
    if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
    return "\(bytes) bytes"
  }
}
