import Foundation

/// A span of whole seconds written the way people write it: `1h`, `45m`, `90s`, `1h30m`, `2d`,
/// or a bare number of seconds.
public struct TimeSpan: Sendable, Equatable, CustomStringConvertible {
    public let seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    /// Parses `text`; nil unless it is one or more `<number><unit>` parts (units d, h, m, s),
    /// or a bare number of seconds.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let plain = Int64(trimmed), plain >= 0 { seconds = plain; return }
        let units: [Character: Int64] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        var total: Int64 = 0, digits = ""
        for character in trimmed {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let number = Int64(digits) {
                let (product, overflow1) = number.multipliedReportingOverflow(by: unit)
                let (sum, overflow2) = total.addingReportingOverflow(product)
                if overflow1 || overflow2 { return nil }
                total = sum
                digits = ""
            } else {
                return nil
            }
        }
        guard digits.isEmpty, !trimmed.isEmpty else { return nil }
        seconds = total
    }

    /// The shortest form, such as `1h`, `1h30m` or `0s`.
    public var description: String {
        if seconds == 0 { return "0s" }
        var rest = seconds, text = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
