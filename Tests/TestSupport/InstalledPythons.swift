import Glibc

/// The CPythons the tests run real code under: 3.11 (`python3` here), 3.12 and 3.13.
///
/// Each is looked for on PATH, then as pyenv's installed copy
/// (`$PYENV_ROOT/versions/3.12.1/bin/python3.12`: pyenv's shims on PATH refuse a version
/// that is installed but not selected, so a bare `python3.12` does not run here), then as
/// `/usr/bin/python3`; the first that starts and is that version is kept. One list for every
/// suite, so none of them tests fewer versions than the machine has without saying so.
public enum InstalledPythons {
  /// Every version found, oldest first: the path of each.
  public static let all: [String] = (11...13).compactMap(find(minor:))

  /// The versions besides 3.11 (the default `python3` here): 3.12 and 3.13, where found.
  public static let newer: [String] = all.filter {
    !$0.hasSuffix("3.11") && $0 != "/usr/bin/python3"
  }

  /// Python 3.`minor`'s path, if one runs here.
  public static func find(minor: Int) -> String? {
    let name = "python3.\(minor)"
    var candidates = (environment("PATH") ?? "").split(separator: ":").map { "\($0)/\(name)" }
    let root = environment("PYENV_ROOT") ?? (environment("HOME") ?? "/root") + "/.pyenv"
    candidates += BuiltProduct.list(root + "/versions").filter { $0.hasPrefix("3.\(minor).") }
      .sorted().reversed().map { "\(root)/versions/\($0)/bin/\(name)" }
    candidates.append("/usr/bin/python3")
    return candidates.first { runs($0, minor: minor) }
  }

  /// Whether `path` is a Python 3.`minor` that starts.
  private static func runs(_ path: String, minor: Int) -> Bool {
    guard access(path, X_OK) == 0,
      let process = try? PipedProcess(
        executable: path,
        arguments: [
          "-c", "import sys; sys.exit(0 if sys.version_info[:2] == (3, \(minor)) else 1)",
        ],
        environment: ["PATH": "/usr/bin:/bin"], input: [])
    else { return false }
    return (try? process.finish(timeout: 20)) == .exited(0)
  }

  private static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }
}
