import TestSupport
import Testing

@testable import LineEditor

struct CompletionTests {
  // MARK: - The request

  @Test func splitsTheWordAtTheCursor() {
    let request = CompletionRequest(textBeforeCursor: "record  tra")
    #expect(request.word == "tra")
    #expect(request.precedingWords == ["record"])
    #expect(CompletionRequest(textBeforeCursor: "set ").word == "")
    #expect(CompletionRequest(textBeforeCursor: "set ").precedingWords == ["set"])
  }

  @Test func matchesCandidatesByPrefix() {
    let request = CompletionRequest(textBeforeCursor: "re")
    #expect(
      request.matching(["run", "reset", "record", "replay", "reset"]) == [
        "record", "replay", "reset",
      ])
  }

  // MARK: - What Tab does

  @Test func completesASingleCandidateWithASpace() {
    let outcome = CompletionOutcome(word: "tim", candidates: ["timeline"])
    #expect(outcome == CompletionOutcome(insertion: "eline ", listing: []))
  }

  @Test func completesADirectoryWithoutASpace() {
    let outcome = CompletionOutcome(word: "Les", candidates: ["Lessons/"])
    #expect(outcome == CompletionOutcome(insertion: "sons/", listing: []))
  }

  @Test func completesAnOptionThatTakesAValueWithoutASpace() {
    let outcome = CompletionOutcome(word: "A(slow-ex", candidates: ["A(slow-exit="])
    #expect(outcome == CompletionOutcome(insertion: "it=", listing: []))
  }

  @Test func insertsTheCommonPrefix() {
    let outcome = CompletionOutcome(word: "r", candidates: ["replay", "record", "reset"])
    #expect(outcome == CompletionOutcome(insertion: "e", listing: []))
  }

  @Test func listsWhenNothingMoreCanBeInserted() {
    let outcome = CompletionOutcome(word: "re", candidates: ["reset", "replay", "other"])
    #expect(outcome == CompletionOutcome(insertion: "", listing: ["replay", "reset"]))
  }

  @Test func doesNothingWithoutCandidates() {
    #expect(CompletionOutcome(word: "zz", candidates: []) == .init(insertion: "", listing: []))
  }

  @Test func commonPrefixWorksOnCharacters() {
    #expect(CompletionOutcome.commonPrefix("café", "cafè") == "caf")
  }

  @Test func listsInColumns() {
    let listing = CompletionListing(["a", "bb", "ccc", "d"], width: 10)
    #expect(listing.text == "a    ccc\r\nbb   d\r\n")
  }

  // MARK: - File paths

  @Test func completesFilePaths() throws {
    let directory = try TemporaryDirectory()
    try directory.write("trace.md", "")
    try directory.write("transcript.md", "")
    try directory.write(".hidden", "")
    _ = directory.makeDirectory("traces")
    let completion = FilePathCompletion(baseDirectory: directory.path)
    #expect(completion.candidates(for: "tra") == ["trace.md", "traces/", "transcript.md"])
    #expect(completion.candidates(for: "") == ["trace.md", "traces/", "transcript.md"])
    #expect(completion.candidates(for: ".h") == [".hidden"])
    #expect(completion.candidates(for: "nothing") == [])
    #expect(completion.candidates(for: "missing/dir/x") == [])
  }

  @Test func completesInsideDirectoriesAndHome() throws {
    let directory = try TemporaryDirectory()
    _ = directory.makeDirectory("sub")
    try directory.write("sub/session.md", "")
    let relative = FilePathCompletion(baseDirectory: directory.path)
    #expect(relative.candidates(for: "sub/s") == ["sub/session.md"])
    let absolute = FilePathCompletion()
    #expect(
      absolute.candidates(for: directory.path + "/sub/") == [directory.path + "/sub/session.md"])
    let home = FilePathCompletion(homeDirectory: directory.path)
    #expect(home.candidates(for: "~/su") == ["~/sub/"])
  }
}

struct ScriptedLineReaderTests {
  @Test func handsOutItsLinesThenNil() async {
    let reader = ScriptedLineReader(inputs: [.line("help"), .interrupted, .line("quit")])
    #expect(await reader.readLine(prompt: "scopelab> ") == .line("help"))
    #expect(await reader.readLine(prompt: "scopelab> ") == .interrupted)
    #expect(await reader.readLine(prompt: "scopelab lesson 1/5> ") == .line("quit"))
    #expect(await reader.readLine(prompt: "scopelab> ") == nil)
    #expect(reader.prompts.count == 4)
    #expect(reader.prompts[2] == "scopelab lesson 1/5> ")
  }

  @Test func recordsHistoryAndRunsCompletion() {
    let reader = ScriptedLineReader(["run"])
    reader.addHistory("run")
    reader.addHistory("help")
    reader.addHistory("run")
    #expect(reader.history == ["help", "run"])
    #expect(reader.complete("he") == [])
    reader.setCompletionProvider { $0.matching(["help", "hint"]) }
    #expect(reader.complete("h") == ["help", "hint"])
  }

  @Test func isEmptyAfterClose() async {
    let reader = ScriptedLineReader(["run"])
    reader.close()
    #expect(reader.isClosed)
    #expect(await reader.readLine(prompt: "> ") == nil)
  }
}
