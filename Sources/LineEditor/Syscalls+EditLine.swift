import CEditLine

/// A libedit editor and its history: the only place LineEditor calls libedit.
///
/// Not thread-safe: one thread at a time (``EditLineSession`` keeps it on its
/// worker thread). Each method names the libedit call behind it.
struct EditLineHandle {
  let editor: OpaquePointer
  let history: OpaquePointer

  /// `el_init(program, stdin, stdout, stderr)` and `history_init()`.
  init?(program: String) {
    guard let editor = scopelab_el_init(program) else { return nil }
    guard let history = history_init() else {
      el_end(editor)
      return nil
    }
    self.editor = editor
    self.history = history
  }

  /// `el_end` and `history_end`: restores the terminal and frees everything.
  func end() {
    el_end(editor)
    history_end(history)
  }

  /// `el_set(EL_EDITOR, name)`.
  func setEditor(_ name: String) {
    _ = scopelab_el_set_editor(editor, name)
  }

  /// `el_set(EL_SIGNAL, 0)`: libedit leaves signal handling to us.
  func disableSignalHandling() {
    _ = scopelab_el_set_signal(editor, 0)
  }

  /// `el_set(EL_PROMPT, fn)`.
  func setPrompt(_ function: scopelab_prompt_fn) {
    _ = scopelab_el_set_prompt(editor, function)
  }

  /// `el_set(EL_GETCFN, fn)`.
  func setCharacterReader(_ function: scopelab_getc_fn) {
    _ = scopelab_el_set_getcfn(editor, function)
  }

  /// `el_set(EL_CLIENTDATA, data)`.
  func setClientData(_ data: UnsafeMutableRawPointer) {
    _ = scopelab_el_set_clientdata(editor, data)
  }

  /// `el_get(EL_CLIENTDATA)` for the editor passed to a callback.
  static func clientData(_ editor: OpaquePointer) -> UnsafeMutableRawPointer? {
    scopelab_el_get_clientdata(editor)
  }

  /// `el_set(EL_ADDFN, name, help, fn)`.
  func addFunction(_ name: String, help: String, _ function: scopelab_editor_fn) {
    _ = scopelab_el_add_function(editor, name, help, function)
  }

  /// `el_set(EL_BIND, key, command, NULL)`.
  func bind(_ key: String, to command: String) {
    _ = scopelab_el_bind(editor, key, command)
  }

  /// `el_source(el, NULL)`: reads `$EDITRC` or `~/.editrc` if there is one.
  func sourceUserSettings() {
    _ = el_source(editor, nil)
  }

  /// `el_set(EL_HIST, history, h)` plus `H_SETSIZE`.
  func attachHistory(capacity: Int) {
    _ = scopelab_history_set_size(history, Int32(clamping: capacity))
    _ = scopelab_el_set_history(editor, history)
  }

  /// `H_CLEAR` then `H_ENTER` of each entry, oldest first.
  func replaceHistory(with entries: [String]) {
    _ = scopelab_history_clear(history)
    for entry in entries {
      _ = scopelab_history_enter(history, entry)
    }
  }

  /// `el_set(EL_PREP_TERM, 1)`: raw mode now, before `el_gets` prints the prompt,
  /// so keys typed as soon as the prompt shows are not echoed by the terminal
  /// driver in cooked mode (observed with libedit 3.1-20221030: without this the
  /// first keys after a prompt were sometimes echoed and line-edited by the tty).
  /// `el_gets` returns to cooked mode when it ends.
  func enterRawMode() {
    _ = scopelab_el_prepare_terminal(editor, 1)
  }

  /// `el_gets`: blocks until a line, end of input or an error. Copies the line at
  /// once. `count` is 0 at end of input and -1 on an error (errno says which).
  func getLine() -> (line: String?, count: Int32) {
    var count: Int32 = 0
    guard let line = el_gets(editor, &count) else { return (nil, count) }
    return (String(cString: line), count)
  }

  /// `el_line`: the UTF-8 bytes of the line before the cursor.
  static func textBeforeCursor(_ editor: OpaquePointer) -> String {
    guard let info = el_line(editor), let start = info.pointee.buffer,
      let cursor = info.pointee.cursor
    else { return "" }
    let count = start.distance(to: cursor)
    guard count > 0 else { return "" }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// `el_insertstr`.
  static func insert(_ editor: OpaquePointer, _ text: String) -> Bool {
    el_insertstr(editor, text) == 0
  }

  /// `el_get(EL_GETTC, "co")`: the terminal's width, 80 when unknown.
  static func columns(_ editor: OpaquePointer) -> Int {
    let columns = Int(scopelab_el_get_columns(editor))
    return columns > 0 ? columns : 80
  }
}
