public enum ScopeLabPlaceholder {}
