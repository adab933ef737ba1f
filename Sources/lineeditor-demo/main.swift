// lineeditor-demo: a tiny REPL over LineEditor, for trying the line editor by hand
// and for the pseudo-terminal tests in LineEditorTests.
//
// Each input is echoed on its own line as `read: [TEXT]`, `interrupted`,
// `invalid: REASON` or `end of input`. The command `wait-interrupt` waits for a
// Ctrl-C outside the prompt (as a run would) and prints `run interrupted`.

import LineEditor

let commands = [
  "back", "help", "hint", "history", "lesson", "lessons", "next", "params", "quit",
  "record", "replay", "reset", "restart", "run", "set", "show", "step", "timeline", "trace",
  "where",
]

let reader: any LineReader
if Terminal.isInteractive, let editor = EditLineReader(program: "lineeditor-demo") {
  reader = editor
} else {
  reader = PlainLineReader()
}
reader.setCompletionProvider { request in
  switch request.precedingWords {
  case []: request.matching(commands)
  case ["record"], ["replay"]: FilePathCompletion().candidates(for: request.word)
  default: []
  }
}

func say(_ text: String) {
  print(text)
}

while let input = await reader.readLine(prompt: "demo> ") {
  switch input {
  case .line(let text):
    say("read: [\(text)]")
    reader.addHistory(text)
    if text == "wait-interrupt" {
      let interrupts = Signals.shared.interrupts()
      say("waiting")
      for await _ in interrupts {
        say("run interrupted")
        break
      }
    }
    if text == "quit" { break }
  case .interrupted:
    say("interrupted")
  case .invalid(let problem):
    say("invalid: \(problem)")
  }
}
say("end of input")
reader.close()
