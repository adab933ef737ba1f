/// Makes a line of output the same from one run to the next, for a transcript: what
/// `record` writes and what `replay --check` compares.
///
/// Two things change between runs without meaning anything: terminal escape sequences
/// (colour is on at a terminal, off in a pipe) and process ids. So a normalized line has
/// no escape sequences, and every `pid N` reads `pid [PID]`:
///
/// ```
/// \u{1B}[2m  0.001s\u{1B}[0m    started pid 12345: sleep 10
/// ```
///
/// becomes `  0.001s    started pid [PID]: sleep 10`. Times are left alone: a trace's
/// times are already relative to its run, and `replay --check` matches them in a window.
public struct OutputNormalizer: Sendable {
  /// What stands for a process id.
  public static let pidPlaceholder = "[PID]"

  public init() {}

  /// `line` (without its line break) with escape sequences removed and process ids masked.
  public func normalize(_ line: String) -> String {
    maskingProcessIDs(strippingEscapes(line))
  }

  /// `text` without terminal escape sequences: CSI sequences (`ESC [` parameters, then a
  /// final byte: colours, cursor moves, erasing), OSC strings (`ESC ]` up to BEL or
  /// `ESC \`), and any other two-character `ESC X` sequence.
  public func strippingEscapes(_ text: String) -> String {
    guard text.unicodeScalars.contains("\u{1B}") else { return text }
    var result = String.UnicodeScalarView()
    var scalars = text.unicodeScalars[...]
    while let scalar = scalars.popFirst() {
      guard scalar == "\u{1B}" else {
        result.append(scalar)
        continue
      }
      guard let kind = scalars.popFirst() else { break }
      switch kind {
      case "[":
        // Parameter and intermediate bytes (0x20-0x3F), then one final byte (0x40-0x7E).
        while let next = scalars.first, (0x20...0x3F).contains(next.value) {
          scalars.removeFirst()
        }
        if let final = scalars.first, (0x40...0x7E).contains(final.value) {
          scalars.removeFirst()
        }
      case "]":
        while let next = scalars.popFirst() {
          if next == "\u{07}" { break }
          if next == "\u{1B}", scalars.first == "\\" {
            scalars.removeFirst()
            break
          }
        }
      default:
        break
      }
    }
    return String(result)
  }

  /// `text` with the number after each word `pid` replaced by ``pidPlaceholder``:
  /// `started pid 12345:`, `signal SIGTERM to pid 12345`, `status pid 12345 exited(0)`,
  /// `reaped pid 12345`. `pid` must be a word of its own (`rapid 3` stays) and the
  /// number must end there (`pid 12ab` stays).
  public func maskingProcessIDs(_ text: String) -> String {
    guard text.contains("pid ") else { return text }
    let characters = Array(text)
    var result = ""
    var index = 0
    while index < characters.count {
      if let end = processIDEnd(in: characters, at: index) {
        result += "pid " + Self.pidPlaceholder
        index = end
      } else {
        result.append(characters[index])
        index += 1
      }
    }
    return result
  }

  /// Where the number ends if `pid NUMBER` starts at `index`, as a word.
  private func processIDEnd(in characters: [Character], at index: Int) -> Int? {
    let word: [Character] = ["p", "i", "d", " "]
    guard index + word.count < characters.count,
      Array(characters[index..<index + word.count]) == word
    else { return nil }
    if index > 0, isWordCharacter(characters[index - 1]) { return nil }
    var end = index + word.count
    while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
    guard end > index + word.count else { return nil }
    if end < characters.count, isWordCharacter(characters[end]) { return nil }
    return end
  }

  private func isWordCharacter(_ character: Character) -> Bool {
    character.isLetter || character.isNumber || character == "_"
  }
}
