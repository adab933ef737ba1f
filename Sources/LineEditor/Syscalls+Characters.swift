import CEditLine
import PosixThread

// Multibyte decoding, through the C library's locale (libedit's headers bring wchar.h).

extension Syscall {
  /// `mbrtowc(3)`: decodes the bytes as one multibyte character. Returns the
  /// character, `nil` if more bytes are needed, or throws on an invalid sequence.
  static func decodeCharacter(_ bytes: [CChar]) -> DecodeResult {
    var state = mbstate_t()
    var character: wchar_t = 0
    let count = bytes.withUnsafeBufferPointer {
      mbrtowc(&character, $0.baseAddress, $0.count, &state)
    }
    // size_t is imported as Int: (size_t)-1 and (size_t)-2 arrive as -1 and -2.
    switch count {
    case -1: return .invalid
    case -2: return .incomplete
    default: return .character(character)
    }
  }

  enum DecodeResult: Equatable {
    case character(wchar_t)
    case incomplete
    case invalid
  }
}
