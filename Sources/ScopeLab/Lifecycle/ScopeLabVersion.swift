/// The version `scopelab --version` prints, and the REPL's greeting.
public enum ScopeLabVersion {
  public static let current = "0.1.0"
}
