import PosixThread
import Synchronization

/// The process's character locale, which libedit needs to decode UTF-8.
enum CharacterLocale {
  private static let configured = Mutex(false)

  /// `setlocale(LC_CTYPE, "")`, falling back to `C.UTF-8` when the user's locale
  /// does not decode UTF-8 (as under `LANG=C`), so "é" edits as one character.
  static func ensureUTF8() {
    configured.withLock { done in
      guard !done else { return }
      done = true
      for name in ["", "C.UTF-8", "en_US.UTF-8"] where Syscall.setCharacterLocale(name) {
        return
      }
    }
  }
}
