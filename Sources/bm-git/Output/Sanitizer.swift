/// Makes repository-provided text safe for a terminal: removes ANSI/VT escape sequences and
/// replaces every other control character (C0, DEL, C1, bidi overrides) with `?`.
enum Sanitizer {
    /// Sanitises `text`; tabs become spaces and line breaks are kept only if `keepNewlines`.
    static func clean(_ text: String, keepNewlines: Bool = false) -> String {
        var output = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar.value {
            case 0x1B:
                pending = skipEscape(after: pending, &scalars)
            case 0x9B:
                pending = skipCSI(from: pending, &scalars)
            case 0x09:
                output.append(" ")
            case 0x0A where keepNewlines:
                output.append(scalar)
            case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                output.append("?")
            default:
                output.append(scalar)
            }
        }
        return String(output)
    }

    /// Skips the rest of an escape sequence whose ESC was just read; returns the next scalar.
    private static func skipEscape(after next: Unicode.Scalar?,
                                   _ scalars: inout String.UnicodeScalarView.Iterator) -> Unicode.Scalar? {
        guard let introducer = next else { return nil }
        switch introducer {
        case "[":
            return skipCSI(from: scalars.next(), &scalars)
        case "]", "P", "X", "^", "_":
            // OSC, DCS, SOS, PM, APC: up to BEL or ESC \.
            var current = scalars.next()
            while let scalar = current {
                if scalar.value == 0x07 { return scalars.next() }
                if scalar.value == 0x1B {
                    let after = scalars.next()
                    return after == "\\" ? scalars.next() : after
                }
                current = scalars.next()
            }
            return nil
        default:
            // A two-character sequence, such as ESC c (reset) or ESC ( B.
            return scalars.next()
        }
    }

    /// Skips CSI parameters up to and including the final byte (0x40...0x7E).
    private static func skipCSI(from first: Unicode.Scalar?,
                                _ scalars: inout String.UnicodeScalarView.Iterator) -> Unicode.Scalar? {
        var current = first
        while let scalar = current {
            if (0x40...0x7E).contains(scalar.value) { return scalars.next() }
            guard (0x20...0x3F).contains(scalar.value) else { return current }
            current = scalars.next()
        }
        return nil
    }
}
