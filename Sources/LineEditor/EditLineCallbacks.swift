import CEditLine
import PosixThread
import Synchronization

// The C-callable functions libedit calls back during `el_gets`, on the worker
// thread. Each finds its session through EL_CLIENTDATA.

private func session(of editor: OpaquePointer?) -> EditLineSession? {
  guard let editor, let data = EditLineHandle.clientData(editor) else { return nil }
  return Unmanaged<EditLineSession>.fromOpaque(data).takeUnretainedValue()
}

/// EL_PROMPT: the prompt text of the current `readLine`.
func editLinePrompt(_ editor: OpaquePointer?) -> UnsafeMutablePointer<CChar>? {
  session(of: editor)?.prompt
}

/// EL_GETCFN: reads one character from the terminal, waiting in `poll(2)` on it and
/// the session's wake pipe, and never blocking in `read(2)` (see ``TerminalInput``).
/// Ctrl-C and cancellation end the read with EINTR, which makes `el_gets` return NULL
/// with a count of -1.
func editLineReadCharacter(_ editor: OpaquePointer?, _ character: UnsafeMutablePointer<wchar_t>?)
  -> Int32
{
  guard let session = session(of: editor), let character else { return -1 }
  let input = session.input
  var byte: UInt8 = 0
  while true {
    let polled = Syscall.pollReadable([input.fd, session.wake.readFD])
    guard case .success(let ready) = polled else {
      if case .failure(.interrupted) = polled { continue }
      return -1
    }
    if ready[1], let reason = session.wake.drain() {
      let cancelled =
        session.closing.load(ordering: .acquiring)
        || session.callCancelled?.isSet == true
      if reason == .interrupt || cancelled {
        session.wokenBy = reason == .interrupt && !cancelled ? .interrupt : .cancel
        Syscall.setErrno(.interrupted)
        return -1
      }
    }
    guard ready[0] else { continue }
    let result = withUnsafeMutableBytes(of: &byte) { Syscall.read(input.fd, into: $0) }
    switch result {
    case .failure(.wouldBlock):
      // The key poll saw is gone: Ctrl-C discarded it. Back to poll and the wake pipe.
      continue
    case .failure(let error):
      Syscall.setErrno(error)
      return -1
    case .success(0):
      return 0
    case .success:
      session.pendingBytes.append(CChar(bitPattern: byte))
      switch Syscall.decodeCharacter(session.pendingBytes) {
      case .character(let decoded):
        session.pendingBytes = []
        character.pointee = decoded
        return 1
      case .incomplete where session.pendingBytes.count < 4:
        continue
      case .incomplete, .invalid:
        session.pendingBytes = []
      }
    }
  }
}

/// EL_ADDFN "scopelab-complete", bound to Tab: asks the completion provider,
/// inserts the candidates' common prefix, and lists them when that is ambiguous.
func editLineComplete(_ editor: OpaquePointer?, _ key: Int32) -> UInt8 {
  guard let editor, let session = session(of: editor),
    let provider = session.completion.withLock({ $0 })
  else { return UInt8(CC_ERROR) }
  let request = CompletionRequest(textBeforeCursor: EditLineHandle.textBeforeCursor(editor))
  let outcome = CompletionOutcome(word: request.word, candidates: provider(request))
  if !outcome.insertion.isEmpty {
    return EditLineHandle.insert(editor, outcome.insertion) ? UInt8(CC_REFRESH) : UInt8(CC_ERROR)
  }
  guard !outcome.listing.isEmpty else { return UInt8(CC_ERROR) }
  let listing = CompletionListing(outcome.listing, width: EditLineHandle.columns(editor))
  Syscall.writeAll(1, "\r\n" + listing.text)
  return UInt8(CC_REDISPLAY)
}
