import Foundation

/// Text from the web made safe for a terminal.
public enum TerminalText {}
