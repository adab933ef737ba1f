import PosixThread

/// The one way scopelab reads its process's environment (through `Syscall`): the
/// executable's wiring, the session (`edit`'s `VISUAL`, `EDITOR`), the state directory,
/// Tab completion's `~`.
public enum ProcessEnvironment {
  /// Every variable, as a dictionary (`Pager.decide`, `Palette.decide` take one).
  public static func current() -> [String: String] {
    var result: [String: String] = [:]
    for entry in Syscall.environmentEntries() {
      if let equals = entry.firstIndex(of: "=") {
        result[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
      }
    }
    return result
  }

  /// The value of the variable `name`, if it is set (it may be empty).
  public static func value(_ name: String) -> String? {
    Syscall.environment(name)
  }
}
