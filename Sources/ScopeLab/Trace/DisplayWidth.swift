/// How many terminal columns text takes, the way `wcwidth(3)` counts them: wide East
/// Asian characters and emoji take 2, combining marks, joiners and variation selectors 0,
/// everything else 1.
///
/// Swift's `Unicode.Scalar.Properties` knows general categories and emoji presentation but
/// not East Asian Width, so the wide ranges are listed here (Unicode 15's `W` and `F`
/// ranges outside the emoji blocks). Control characters count 0: escape them first
/// (``Swift/String/controlCharactersEscaped``) when they are to be shown.
enum DisplayWidth {
  /// The columns one grapheme cluster takes: 0, 1 or 2.
  static func of(_ character: Character) -> Int {
    let scalars = character.unicodeScalars
    if isEmoji(scalars) { return 2 }
    var width = 0
    for scalar in scalars { width += of(scalar) }
    return min(width, 2)
  }

  /// The columns `text` takes.
  static func of(_ text: String) -> Int {
    text.reduce(0) { $0 + of($1) }
  }

  /// The columns one scalar takes on its own.
  static func of(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x7F { return value < 0x20 ? 0 : 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format, .control, .lineSeparator,
      .paragraphSeparator:
      return 0
    default: break
    }
    // Hangul medial vowels and final consonants join the initial consonant's cell.
    if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return 0 }
    if scalar.properties.isEmojiPresentation || isWide(value) { return 2 }
    return 1
  }

  /// An emoji shown as a picture: one with emoji presentation (a ZWJ sequence, a flag, a
  /// skin tone counts once), or an emoji-capable character followed by U+FE0F.
  private static func isEmoji(_ scalars: Character.UnicodeScalarView) -> Bool {
    guard let first = scalars.first, first.value >= 0x7F || scalars.count > 1 else {
      return false
    }
    if scalars.contains(where: { $0.properties.isEmojiPresentation }) { return true }
    return first.properties.isEmoji && scalars.contains("\u{FE0F}")
  }

  private static func isWide(_ value: UInt32) -> Bool {
    guard value >= wideRanges[0].lowerBound else { return false }
    // Binary search: the ranges are sorted and do not overlap.
    var low = 0
    var high = wideRanges.count - 1
    while low <= high {
      let middle = (low + high) / 2
      let range = wideRanges[middle]
      if value < range.lowerBound {
        high = middle - 1
      } else if value > range.upperBound {
        low = middle + 1
      } else {
        return true
      }
    }
    return false
  }

  /// East Asian Wide and Fullwidth ranges, sorted; emoji are told by their property.
  static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F,  // Hangul Jamo initial consonants
    0x2329...0x232A,  // angle brackets
    0x2E80...0x303E,  // CJK radicals, Kangxi radicals, CJK symbols and punctuation
    0x3041...0x33FF,  // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, ...
    0x3400...0x4DBF,  // CJK Unified Ideographs Extension A
    0x4E00...0x9FFF,  // CJK Unified Ideographs
    0xA000...0xA4CF,  // Yi syllables and radicals
    0xA960...0xA97F,  // Hangul Jamo Extended-A
    0xAC00...0xD7A3,  // Hangul syllables
    0xF900...0xFAFF,  // CJK Compatibility Ideographs
    0xFE10...0xFE19,  // vertical forms
    0xFE30...0xFE6F,  // CJK compatibility forms, small form variants
    0xFF01...0xFF60,  // fullwidth ASCII and punctuation
    0xFFE0...0xFFE6,  // fullwidth signs
    0x16FE0...0x16FE4,  // ideographic symbols
    0x17000...0x18CFF,  // Tangut, Khitan
    0x1AFF0...0x1B2FF,  // Kana supplement and extensions, Nushu
    0x1F200...0x1F2FF,  // enclosed ideographic supplement
    0x20000...0x2FFFD,  // CJK Extensions B to F, compatibility supplement
    0x30000...0x3FFFD,  // CJK Extensions G and H
  ]
}

extension String {
  /// The terminal columns the text takes (see ``DisplayWidth``).
  var displayWidth: Int { DisplayWidth.of(self) }
}

extension Character {
  /// The terminal columns the character takes: 0, 1 or 2 (see ``DisplayWidth``).
  var displayWidth: Int { DisplayWidth.of(self) }
}
