package import Glibc

// File-system calls used by the history file.

extension Syscall {
  /// `open(2)` with `O_CLOEXEC` added, retrying EINTR.
  package static func open(_ path: String, _ flags: CInt, mode: mode_t = 0o600) -> Result<
    CInt, Errno
  > {
    while true {
      let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
      if fd >= 0 { return .success(fd) }
      if errno != EINTR { return .failure(.current) }
    }
  }

  /// `flock(2)` with `LOCK_EX | LOCK_NB`: whether the lock was taken.
  package static func tryLockExclusive(_ fd: CInt) -> Bool {
    flock(fd, LOCK_EX | LOCK_NB) == 0
  }

  /// `flock(2)` with `LOCK_UN`.
  package static func unlock(_ fd: CInt) {
    _ = flock(fd, LOCK_UN)
  }

  /// `fsync(2)`.
  package static func sync(_ fd: CInt) -> Result<Void, Errno> {
    Glibc.fsync(fd) == 0 ? .success(()) : .failure(.current)
  }

  /// `rename(2)`: atomically replaces `destination`.
  package static func rename(_ source: String, _ destination: String) -> Result<Void, Errno> {
    Glibc.rename(source, destination) == 0 ? .success(()) : .failure(.current)
  }

  /// `unlink(2)`; errors are ignored.
  package static func remove(_ path: String) {
    _ = Glibc.unlink(path)
  }

  /// `mkdir(2)` of `path` and its missing parents (mode 0700), like `mkdir -p`.
  package static func makeDirectories(_ path: String) -> Result<Void, Errno> {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
      prefix += component
      if Glibc.mkdir(prefix, 0o700) != 0 && errno != EEXIST {
        return .failure(.current)
      }
      prefix += "/"
    }
    return isDirectory(path) ? .success(()) : .failure(Errno(rawValue: ENOTDIR))
  }

  /// `mkdtemp(3)`: a new directory of this user's only (mode 0700), `prefix` followed by
  /// six random characters; its path.
  package static func makeTemporaryDirectory(_ prefix: String) -> Result<String, Errno> {
    var template = Array((prefix + "XXXXXX").utf8CString)
    guard let made = Glibc.mkdtemp(&template) else { return .failure(.current) }
    return .success(String(cString: made))
  }

  /// `rmdir(2)` of an empty directory; errors are ignored.
  package static func removeDirectory(_ path: String) {
    _ = Glibc.rmdir(path)
  }

  /// `stat(2)`: whether `path` names a directory (symbolic links followed).
  package static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// `stat(2)`: whether anything exists at `path`.
  package static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }

  /// `opendir(3)`/`readdir(3)`: the names in a directory, without "." and "..".
  package static func directoryEntries(_ path: String) -> [String]? {
    guard let directory = Glibc.opendir(path) else { return nil }
    defer { Glibc.closedir(directory) }
    var names: [String] = []
    while let entry = Glibc.readdir(directory) {
      let name = withUnsafePointer(to: &entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: $0.pointee)) {
          String(cString: $0)
        }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// `stat(2)` and `access(2)`: whether `path` is a regular file (symbolic links followed)
  /// this process may read.
  package static func isReadableRegularFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
      && access(path, R_OK) == 0
  }

  /// `open(2)` for reading, with `O_CLOEXEC`; `nil` when it fails.
  package static func openForReading(_ path: String) -> CInt? {
    try? open(path, O_RDONLY).get()
  }

  /// `access(2)`: whether this process may execute `path`.
  package static func isExecutable(_ path: String) -> Bool {
    access(path, X_OK) == 0
  }

  /// `stat(2)`, or `lstat(2)` when `followingLinks` is false: what is at `path`.
  package static func status(_ path: String, followingLinks: Bool = true) -> Result<stat, Errno> {
    var info = stat()
    let result = followingLinks ? stat(path, &info) : lstat(path, &info)
    return result == 0 ? .success(info) : .failure(.current)
  }

  /// `stat(2)`: the file's size, modification time and inode (`SIZE SECONDS.NANOSECONDS
  /// INODE`), which change when the file does; `nil` when it cannot be read.
  package static func stamp(_ path: String) -> String? {
    guard case .success(let info) = status(path) else { return nil }
    return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
  }

  /// `fstat(2)`: what `fd` is open on.
  package static func status(of fd: CInt) -> Result<stat, Errno> {
    var info = stat()
    return fstat(fd, &info) == 0 ? .success(info) : .failure(.current)
  }

  /// `lseek(2)` to `offset` bytes from the start.
  package static func seek(_ fd: CInt, to offset: Int) -> Result<Void, Errno> {
    lseek(fd, off_t(offset), SEEK_SET) >= 0 ? .success(()) : .failure(.current)
  }

  /// `fchmod(2)`; errors are ignored.
  package static func setPermissions(_ fd: CInt, _ mode: mode_t) {
    _ = fchmod(fd, mode)
  }

  /// `fcntl(2)`: clears `O_NONBLOCK` on `fd`.
  package static func setBlocking(_ fd: CInt) {
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
  }

  /// `link(2)`: a second name, `destination`, for the file at `path`.
  package static func link(_ path: String, _ destination: String) -> Result<Void, Errno> {
    Glibc.link(path, destination) == 0 ? .success(()) : .failure(.current)
  }

  /// `getcwd(3)`: the working directory, if it can be had.
  package static func workingDirectory() -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return nil }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// `realpath(3)`: `path` with links and `..` resolved, if it is there.
  package static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// `usleep(3)`: blocks the calling thread; never call it on the cooperative pool.
  package static func sleep(microseconds: UInt32) {
    _ = usleep(microseconds)
  }
}

extension Syscall {
  /// `fcntl(F_DUPFD_CLOEXEC)`: a close-on-exec copy of `fd` numbered `lowest` or more.
  package static func duplicate(_ fd: CInt, atLeast lowest: CInt) -> CInt? {
    let copy = fcntl(fd, F_DUPFD_CLOEXEC, lowest)
    return copy >= 0 ? copy : nil
  }

  /// `open(2)` of `/dev/null` and `dup2(2)`: `fd` writes to nothing from now on.
  package static func redirectToNull(_ fd: CInt) {
    guard case .success(let null) = open("/dev/null", O_WRONLY) else { return }
    _ = dup2(null, fd)
    close(null)
  }
}
