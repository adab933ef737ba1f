/// Where scopelab keeps what lasts between sessions (history, lesson progress):
/// `$XDG_STATE_HOME/scopelab`, or `$HOME/.local/state/scopelab` when `XDG_STATE_HOME` is
/// unset, empty or relative.
public enum StateDirectory {
  /// The file `name` in the state directory for `environment`; `nil` without either variable.
  public static func path(of name: String, environment: [String: String]) -> String? {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return joined(state, "scopelab/" + name)
    }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return joined(home, ".local/state/scopelab/" + name)
  }

  /// The file `name` in this process's state directory, if there is one.
  public static func path(of name: String) -> String? {
    var environment: [String: String] = [:]
    for variable in ["XDG_STATE_HOME", "HOME"] {
      environment[variable] = Syscall.environment(variable)
    }
    return path(of: name, environment: environment)
  }

  /// The directory `name` in scopelab's cache (what can be made again: `trace`'s compiled
  /// Swift): `$XDG_CACHE_HOME/scopelab/NAME`, or `$HOME/.cache/scopelab/NAME` when
  /// `XDG_CACHE_HOME` is unset, empty or relative; `nil` without either.
  public static func cachePath(of name: String, environment: [String: String]) -> String? {
    if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
      return joined(cache, "scopelab/" + name)
    }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return joined(home, ".cache/scopelab/" + name)
  }

  /// ``cachePath(of:environment:)`` for this process's environment.
  public static func cachePath(of name: String) -> String? {
    var environment: [String: String] = [:]
    for variable in ["XDG_CACHE_HOME", "HOME"] {
      environment[variable] = Syscall.environment(variable)
    }
    return cachePath(of: name, environment: environment)
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
