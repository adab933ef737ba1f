import AsyncScope
public import LineEditor

extension Session {
  /// A confirmation that asks on `reader` (at a terminal): the question's last line is the
  /// prompt, the lines before it (a consent list) are written to `output` first - a line
  /// editor's prompt is one line - and `y` or `yes` is yes; anything else, Ctrl-C or
  /// Ctrl-D is no.
  public static func asking(on reader: any LineReader, output: any TextOutput) -> Confirmation {
    { question in
      var prompt = question
      if let lastBreak = question.lastIndex(of: "\n") {
        output.write(String(question[...lastBreak]))
        prompt = String(question[question.index(after: lastBreak)...])
      }
      reader.setCompletionProvider(nil)
      guard case .line(let answer) = await reader.readLine(prompt: prompt) else { return false }
      return ["y", "yes"].contains(answer.trimmingSpaces().lowercased())
    }
  }
}
