// TEMPORARY stand-ins until the real views land (branches `swiftview`, `pyview`,
// `libsource`); delete then.
public enum PythonView {
  public static func render(_ program: Program, parameters: Parameters, traced: Bool = false)
    -> String
  { "# Python view not available yet\n" }
}
