import Testing

@testable import ScopeLab

@Suite("Flat JSON objects")
struct FlatJSONTests {
  @Test("strings, numbers, booleans and null")
  func values() throws {
    let object = try FlatJSON.parseObject(
      #"{"t": 0.25, "event": "exit", "n": -3e2, "ok": true, "no": false, "error": null}"#)
    #expect(object["t"] == .number(0.25))
    #expect(object["event"] == .string("exit"))
    #expect(object["n"] == .number(-300))
    #expect(object["ok"] == .bool(true))
    #expect(object["no"] == .bool(false))
    #expect(object["error"] == .null)
    #expect(try FlatJSON.parseObject(" { } ").isEmpty)
  }

  @Test("escapes, surrogate pairs included")
  func escapes() throws {
    let object = try FlatJSON.parseObject(#"{"s": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00"}"#)
    #expect(object["s"] == .string("a\"b\\c/d\n\té😀"))
  }

  @Test(
    "malformed or nested text is an error",
    arguments: [
      "", "{", "[]", #"{"a": [1]}"#, #"{"a": {"b": 1}}"#, #"{"a" 1}"#, #"{"a": "x}"#,
      #"{"a": tru}"#, #"{"a": 1,}"#, #"{"a": 1} x"#, #"{"a": "\q"}"#, #"{"a": "\ud800"}"#,
    ])
  func malformed(_ text: String) {
    #expect(throws: FlatJSON.ParseError.self) { try FlatJSON.parseObject(text) }
  }

  @Test("scopelab's own JSONL lines parse back")
  func roundTrip() throws {
    let object = try FlatJSON.parseObject(#"{"t":1.5,"event":"print","text":"x \"y\""}"#)
    #expect(object["text"]?.string == "x \"y\"")
    #expect(object["t"]?.number == 1.5)
  }
}
