extension CodeLanguage {
  /// The program as code in this language, with `parameters`' current values.
  public func render(_ program: Program, parameters: Parameters) -> String {
    switch self {
    case .swift: SwiftView.render(program, parameters: parameters)
    case .python: PythonView.render(program, parameters: parameters)
    }
  }
}
