/// `--trace-format`: text for people, JSONL for tools.
public enum TraceFormat: String, Sendable, CaseIterable {
  case text, jsonl
}
