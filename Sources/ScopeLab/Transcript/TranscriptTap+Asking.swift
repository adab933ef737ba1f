import AsyncScope
public import LineEditor

extension TranscriptTap {
  /// A confirmation that asks on `reader` (at a terminal): the question is the prompt,
  /// and `y` or `yes` is yes; anything else, Ctrl-C or Ctrl-D is no.
  public static func asking(on reader: any LineReader) -> Confirmation {
    { question in
      reader.setCompletionProvider(nil)
      guard case .line(let answer) = await reader.readLine(prompt: question) else { return false }
      return ["y", "yes"].contains(answer.trimmingSpaces().lowercased())
    }
  }
}
