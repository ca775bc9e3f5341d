#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text stored in a commit's own encoding (its `encoding` header), turned into a Swift string
/// the way `git log` does: converted to UTF-8 with iconv, or kept as it is when there is no
/// header, the header already names UTF-8, or the conversion fails.
enum TextEncoding {
    static func decode(_ bytes: UnsafePointer<CChar>?, encoding: String?) -> String {
        guard let bytes else { return "" }
        let raw = UnsafeRawBufferPointer(start: bytes, count: strlen(bytes))
        guard let encoding, !isUTF8(encoding), let converted = convert(Array(raw), from: encoding) else {
            return String(decoding: raw, as: UTF8.self)
        }
        return String(decoding: converted, as: UTF8.self)
    }

    private static func isUTF8(_ name: String) -> Bool {
        ["utf8", "utf-8"].contains(name.lowercased())
    }

    private static func convert(_ input: [UInt8], from encoding: String) -> [UInt8]? {
        let converter = iconv_open("UTF-8", encoding)
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var source = input.map { CChar(bitPattern: $0) }
        let produced: Int? = source.withUnsafeMutableBufferPointer { sourceBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                outputBuffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: outputBuffer.count) { start in
                    var inPointer = sourceBuffer.baseAddress, inLeft = sourceBuffer.count
                    var outPointer: UnsafeMutablePointer<CChar>? = start, outLeft = outputBuffer.count
                    guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1 else { return nil }
                    return outputBuffer.count - outLeft
                }
            }
        }
        return produced.map { Array(output[..<$0]) }
    }
}
