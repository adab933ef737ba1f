import PosixThread

/// Where scopelab keeps what lasts between sessions (history, lesson progress):
/// `$XDG_STATE_HOME/scopelab`, or `$HOME/.local/state/scopelab` when `XDG_STATE_HOME` is
/// unset, empty or relative.
public enum StateDirectory {
  /// The file `name` in the state directory for `environment`; `nil` without either variable.
  public static func path(of name: String, environment: [String: String]) -> String? {
    under("XDG_STATE_HOME", else: ".local/state", name, environment)
  }

  /// The file `name` in this process's state directory, if there is one.
  public static func path(of name: String) -> String? {
    path(of: name, environment: processEnvironment("XDG_STATE_HOME"))
  }

  /// The directory `name` in scopelab's cache (what can be made again: `trace`'s compiled
  /// Swift): `$XDG_CACHE_HOME/scopelab/NAME`, or `$HOME/.cache/scopelab/NAME` when
  /// `XDG_CACHE_HOME` is unset, empty or relative; `nil` without either.
  public static func cachePath(of name: String, environment: [String: String]) -> String? {
    under("XDG_CACHE_HOME", else: ".cache", name, environment)
  }

  /// ``cachePath(of:environment:)`` for this process's environment.
  public static func cachePath(of name: String) -> String? {
    cachePath(of: name, environment: processEnvironment("XDG_CACHE_HOME"))
  }

  /// `$VARIABLE/scopelab/NAME` when the variable is an absolute path, else
  /// `$HOME/FALLBACK/scopelab/NAME`; `nil` without either.
  private static func under(
    _ variable: String, else fallback: String, _ name: String, _ environment: [String: String]
  ) -> String? {
    if let base = environment[variable], base.hasPrefix("/") {
      return joined(base, "scopelab/" + name)
    }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return joined(home, fallback + "/scopelab/" + name)
  }

  /// `variable` and `HOME` from this process's environment.
  private static func processEnvironment(_ variable: String) -> [String: String] {
    var environment: [String: String] = [:]
    for name in [variable, "HOME"] {
      environment[name] = ProcessEnvironment.value(name)
    }
    return environment
  }

  /// The directory holding `path`.
  public static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// Makes the directory holding `path` and its missing parents (mode 0700); what went
  /// wrong, if anything.
  public static func makeDirectory(holding path: String) -> String? {
    let directory = directory(of: path)
    if case .failure(let error) = Syscall.makeDirectories(directory) {
      return "cannot create \(directory): \(error)"
    }
    return nil
  }

  private static func joined(_ directory: String, _ rest: String) -> String {
    directory.hasSuffix("/") ? directory + rest : directory + "/" + rest
  }
}
