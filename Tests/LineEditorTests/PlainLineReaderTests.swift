import Glibc
import Testing

@testable import LineEditor

/// PlainLineReader over a real pipe, written from another thread.
struct PlainLineReaderTests {
  /// A reader whose input is `bytes`, written to a pipe by a separate thread
  /// (the pipe holds only 64 KiB, so writing must not wait for the reader).
  private func reader(_ bytes: [UInt8], limit: Int = 65_536) -> PlainLineReader {
    var fds: [Int32] = [0, 0]
    _ = pipe(&fds)
    let (readEnd, writeEnd) = (fds[0], fds[1])
    let writer = WriterThread(fd: writeEnd, bytes: bytes)
    writer.start()
    return PlainLineReader(fileDescriptor: readEnd, maximumLineLength: limit)
  }

  private func readAll(_ reader: PlainLineReader) async -> [LineInput] {
    var inputs: [LineInput] = []
    while let input = await reader.readLine(prompt: "ignored> ") {
      inputs.append(input)
    }
    return inputs
  }

  // MARK: - Lines

  @Test func readsLinesWithoutTerminators() async {
    let inputs = await readAll(reader(Array("help\r\nrun\n\nlast".utf8)))
    #expect(inputs == [.line("help"), .line("run"), .line(""), .line("last")])
  }

  @Test func pendingInputIsWhatIsBufferedOrReadableNow() async {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let (readEnd, writeEnd) = (fds[0], fds[1])
    defer { close(readEnd) }
    let plain = PlainLineReader(fileDescriptor: readEnd)
    #expect(!plain.hasPendingInput, "nothing written yet")
    #expect(write(writeEnd, "a\nb\n", 4) == 4)
    #expect(await plain.readLine(prompt: "") == .line("a"))
    #expect(plain.hasPendingInput, "b was read with a")
    #expect(await plain.readLine(prompt: "") == .line("b"))
    #expect(!plain.hasPendingInput, "the writer has said nothing more")
    #expect(write(writeEnd, "c", 1) == 1)
    #expect(plain.hasPendingInput, "c waits in the pipe")
    close(writeEnd)
    #expect(await plain.readLine(prompt: "") == .line("c"))
    plain.close()
  }

  @Test func endOfInputIsNil() async {
    let plain = reader([])
    #expect(await plain.readLine(prompt: "") == nil)
    #expect(await plain.readLine(prompt: "") == nil)
  }

  @Test func keepsUTF8Text() async {
    let inputs = await readAll(reader(Array("print café ✓\n".utf8)))
    #expect(inputs == [.line("print café ✓")])
  }

  // MARK: - Invalid lines

  @Test func aLineOfAMegabyteIsRejectedAndReadingGoesOn() async {
    let long = [UInt8](repeating: UInt8(ascii: "x"), count: 2 * 1_048_576)
    let bytes = Array("before\n".utf8) + long + Array("\nafter\n".utf8)
    let inputs = await readAll(reader(bytes))
    #expect(
      inputs == [
        .line("before"),
        .invalid(InvalidLine(.tooLong(limit: 65_536), lineNumber: 2)),
        .line("after"),
      ])
  }

  @Test func aLineAtTheLimitIsAccepted() async {
    let line = String(repeating: "y", count: 100)
    let inputs = await readAll(reader(Array((line + "\n").utf8), limit: 100))
    #expect(inputs == [.line(line)])
  }

  @Test func aNULByteIsRejected() async {
    let inputs = await readAll(reader([0x61, 0x00, 0x62, 0x0a, 0x63, 0x0a]))
    #expect(inputs == [.invalid(InvalidLine(.containsNUL, lineNumber: 1)), .line("c")])
  }

  @Test func invalidUTF8IsRejected() async {
    let inputs = await readAll(reader([0x72, 0x75, 0x6e, 0xff, 0xfe, 0x0a, 0x6f, 0x6b]))
    #expect(inputs == [.invalid(InvalidLine(.invalidUTF8, lineNumber: 1)), .line("ok")])
  }

  @Test func binaryGarbageNeverCrashes() async {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let inputs = await readAll(reader(bytes, limit: 1000))
    let newlines = bytes.filter { $0 == 0x0a }.count
    #expect(inputs.count <= newlines + 1)
  }

  @Test func describesProblemsInOneSentence() {
    #expect(InvalidLine(.containsNUL, lineNumber: 3).description == "line 3 holds a NUL byte")
    #expect(
      InvalidLine(.tooLong(limit: 10), lineNumber: 1).description
        == "line 1 is longer than 10 bytes")
  }

  // MARK: - Cancellation

  @Test func cancellingAPendingReadReturnsNil() async {
    var fds: [Int32] = [0, 0]
    _ = pipe(&fds)
    defer { close(fds[1]) }
    let plain = PlainLineReader(fileDescriptor: fds[0])
    let pending = Task { await plain.readLine(prompt: "") }
    try? await Task.sleep(for: .milliseconds(50))
    pending.cancel()
    #expect(await pending.value == nil)
    plain.close()
    close(fds[0])
  }
}

/// Writes bytes to a descriptor on a thread of its own, then closes it.
private final class WriterThread: Sendable {
  let fd: Int32
  let bytes: [UInt8]

  init(fd: Int32, bytes: [UInt8]) {
    self.fd = fd
    self.bytes = bytes
  }

  func start() {
    let context = Unmanaged.passRetained(self).toOpaque()
    var thread = pthread_t()
    pthread_create(
      &thread, nil,
      { context in
        guard let context else { return nil }
        let writer = Unmanaged<WriterThread>.fromOpaque(context).takeRetainedValue()
        writer.run()
        return nil
      }, context)
    pthread_detach(thread)
  }

  private func run() {
    var offset = 0
    bytes.withUnsafeBytes { buffer in
      while offset < buffer.count {
        let count = write(fd, buffer.baseAddress?.advanced(by: offset), buffer.count - offset)
        if count <= 0 { break }
        offset += count
      }
    }
    close(fd)
  }
}
