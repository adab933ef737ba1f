import Glibc

/// Finds an executable product built beside the running tests, whatever
/// `--scratch-path` was used.
public enum BuiltProduct {
  /// The path of executable `name`, looked for in the directory of the running test
  /// executable, of any `.xctest` mapped into this process, then in each
  /// `.build*/*/debug` below the package (the newest wins). `$NAME_BINARY` (for
  /// `scopelab`: `SCOPELAB_BINARY`) overrides all of them.
  public static func path(of name: String, filePath: String = #filePath) -> String? {
    let override = name.uppercased().replacingDashes() + "_BINARY"
    if let value = getenv(override).map({ String(cString: $0) }), isExecutable(value) {
      return value
    }
    var directories: [String] = []
    if let executable = readLink("/proc/self/exe") { directories.append(parent(executable)) }
    directories += mappedTestBundles().map(parent)
    for directory in directories where isExecutable(directory + "/" + name) {
      return directory + "/" + name
    }
    return newestUnderBuildDirectories(name, packageRoot: packageRoot(of: filePath))
  }

  static func isExecutable(_ path: String) -> Bool {
    var info = stat()
    return access(path, X_OK) == 0 && stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  static func readLink(_ path: String) -> String? {
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = readlink(path, &buffer, buffer.count - 1)
    return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
  }

  static func parent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return String(path[..<slash])
  }

  /// Paths of `.xctest` files this process has mapped (the test bundle, when a
  /// runner loads it rather than being it).
  static func mappedTestBundles() -> [String] {
    guard let maps = ProcessTable.readSmallFile("/proc/self/maps") else { return [] }
    var paths: [String] = []
    for line in maps.split(separator: "\n") {
      guard let slash = line.firstIndex(of: "/") else { continue }
      let path = String(line[slash...])
      if path.hasSuffix(".xctest"), !paths.contains(path) { paths.append(path) }
    }
    return paths
  }

  /// The package directory: `filePath` is `ROOT/Tests/TestSupport/BuiltProduct.swift`.
  static func packageRoot(of filePath: String) -> String {
    parent(parent(parent(filePath)))
  }

  static func newestUnderBuildDirectories(_ name: String, packageRoot: String) -> String? {
    var best: (path: String, time: Int) = ("", -1)
    for scratch in list(packageRoot) where scratch.hasPrefix(".build") {
      let base = packageRoot + "/" + scratch
      let candidates =
        [base + "/debug/" + name]
        + list(base).map { base + "/" + $0 + "/debug/" + name }
      for candidate in candidates where isExecutable(candidate) {
        var info = stat()
        if stat(candidate, &info) == 0, info.st_mtim.tv_sec > best.time {
          best = (candidate, info.st_mtim.tv_sec)
        }
      }
    }
    return best.time >= 0 ? best.path : nil
  }

  /// The names in `directory` (not `.` and `..`); none if it cannot be read.
  public static func list(_ directory: String) -> [String] {
    guard let handle = opendir(directory) else { return [] }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }
}

extension String {
  fileprivate func replacingDashes() -> String {
    String(map { $0 == "-" ? "_" : $0 })
  }
}
