import SwitchboardBus

/// The id of the command the desk forwards to the router on behalf of a desk command. It is
/// derived from the desk command's id, so that a desk command retried by its client (same
/// id) reaches the router with the same id too and is applied there once.
public enum DeskCommandID {
    /// `desk:<id>`, or, when that would pass the bus's id limit, `desk:` and a 128-bit hash of it.
    public static func forRouter(_ deskCommandID: String) -> String {
        let plain = "desk:" + deskCommandID
        if plain.utf8.count <= CommandRequest.idBytesMax { return plain }
        // Two FNV-1a passes with different offsets: a stable 128-bit digest with no dependency.
        let bytes = Array(deskCommandID.utf8)
        return "desk:" + hex(fnv1a(bytes, offset: 0xcbf2_9ce4_8422_2325))
            + hex(fnv1a(bytes, offset: 0x6c62_272e_07bb_0142))
    }

    static func fnv1a(_ bytes: [UInt8], offset: UInt64) -> UInt64 {
        var hash = offset
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
