import Glibc
import TestSupport

@testable import ScopeLab

/// The Pythons besides `python3` that the tests run each ```` ```python check ```` snippet
/// under, when this machine has them: `python3.12` and `python3.13` on PATH when they run
/// there, else pyenv's installed copy (`$PYENV_ROOT/versions/3.12.1/bin/python3.12`: its
/// shims on PATH refuse a version that is installed but not selected).
enum SnippetPythons {
  static let names = ["python3.12", "python3.13"]

  static func available() async -> [String] {
    var found: [String] = []
    for name in names {
      if await runs(name) {
        found.append(name)
        continue
      }
      let version = String(name.dropFirst("python".count))
      let root = environment("PYENV_ROOT") ?? environment("HOME").map { $0 + "/.pyenv" } ?? ""
      for installed in BuiltProduct.list(root + "/versions").sorted().reversed()
      where installed.hasPrefix(version + ".") {
        let path = "\(root)/versions/\(installed)/bin/\(name)"
        if await runs(path) {
          found.append(path)
          break
        }
      }
    }
    return found
  }

  static func runs(_ interpreter: String) async -> Bool {
    (try? await PythonRunner(interpreter: interpreter).checkVersion()) != nil
  }

  private static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }
}
