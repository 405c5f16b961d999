/// SVI state as bytes, so a fit can be saved and resumed bit for bit.
///
/// Format version 1, every number little-endian:
///
/// | offset | size  | content                                                   |
/// |--------|-------|-----------------------------------------------------------|
/// | 0      | 8     | magic: 0x89 'S' 'V' 'I' 'S' 0x0D 0x0A 0x1A                |
/// | 8      | 4     | format version (UInt32), 1                                |
/// | 12     | 8     | the PRNG key's two words (UInt32 each)                    |
/// | 20     | 8     | optimizer step count (UInt64), at most 2^53               |
/// | 28     | 8     | parameter count P (UInt64)                                |
/// | 36     | 8     | optimizer slot count K (UInt64)                           |
/// | 44     | 8P    | parameters (IEEE-754 binary64 bit patterns)               |
/// | 44+8P  | 8KP   | the K slots, one after another, P values each             |
/// | end−4  | 4     | CRC-32 (zlib's) of every byte before it                   |
extension SVIState {
    static let magic: [UInt8] = [0x89, 0x53, 0x56, 0x49, 0x53, 0x0D, 0x0A, 0x1A]
    static let formatVersion: UInt32 = 1
    private static let headerSize = 44
    /// The largest step count a saved state may hold: far beyond any fit, and
    /// far enough below Int.max that counting on from it cannot overflow.
    private static let maxStep: UInt64 = 1 << 53

    /// The state in the format above.
    public func serialized() -> [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(Self.headerSize + 8 * parameters.count * (1 + optimizerState.slots.count) + 4)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        append(Self.formatVersion)
        append(key.words.0)
        append(key.words.1)
        append(UInt64(optimizerState.step))
        append(UInt64(parameters.count))
        append(UInt64(optimizerState.slots.count))
        for value in parameters + optimizerState.slots.joined() { append(value.bitPattern) }
        append(CRC32.checksum(bytes))
        return bytes
    }

    /// The state `bytes` holds; throws `SVIError.invalidArgument` saying what is
    /// wrong when they are not a complete, intact state in a known format
    /// version, or hold a value that is not finite.
    public init(serialized bytes: [UInt8]) throws {
        func corrupt(_ what: String) -> SVIError { .invalidArgument("not a saved SVI state: \(what)") }
        guard bytes.count >= Self.headerSize + 4 else { throw corrupt("\(bytes.count) bytes is too short") }
        guard bytes.starts(with: Self.magic) else { throw corrupt("the magic number is wrong") }
        var reader = LittleEndianReader(bytes: bytes, offset: Self.magic.count)
        let version: UInt32 = reader.read()
        guard version == Self.formatVersion else {
            throw corrupt("format version \(version); this library reads version \(Self.formatVersion)")
        }
        var trailer = LittleEndianReader(bytes: bytes, offset: bytes.count - 4)
        let stored: UInt32 = trailer.read()
        guard CRC32.checksum(bytes.dropLast(4)) == stored else { throw corrupt("the checksum does not match") }
        let key = PRNGKey(words: (reader.read(), reader.read()))
        let step: UInt64 = reader.read(), parameterCount: UInt64 = reader.read(), slotCount: UInt64 = reader.read()
        let valueBytes = UInt64(bytes.count - Self.headerSize - 4)
        let (values, overflow) = parameterCount.multipliedReportingOverflow(by: slotCount &+ 1)
        guard step <= Self.maxStep else { throw corrupt("a step count of \(step) is above 2^53") }
        guard slotCount < UInt64(Int.max), !overflow, values <= valueBytes / 8,
              values * 8 == valueBytes else {
            throw corrupt("\(parameterCount) parameters and \(slotCount) slots do not fill \(valueBytes) bytes")
        }
        let p = Int(parameterCount)
        let doubles = (0..<Int(values)).map { _ in Double(bitPattern: reader.read()) }
        if let i = doubles.firstIndex(where: { !$0.isFinite }) { throw corrupt("value \(i) is \(doubles[i])") }
        self.init(parameters: Array(doubles[..<p]),
                  optimizerState: OptimizerState(step: Int(step), slots: (0..<Int(slotCount)).map {
                      Array(doubles[(p * ($0 + 1))..<(p * ($0 + 2))])
                  }),
                  key: key)
    }
}

extension SVI {
    /// The state saved in `bytes` (see `SVIState.serialized()`), checked to fit
    /// this SVI: as many parameters as the guide and model have, and the slots
    /// of this optimizer. Throws `SVIError.invalidArgument` otherwise.
    public func restore(_ bytes: [UInt8]) throws -> SVIState {
        let state = try SVIState(serialized: bytes)
        let count = parameterBlocks.reduce(0) { $0 + $1.size }
        let expected = optimizer.initialState(parameterCount: count).slots.map(\.count)
        guard state.parameters.count == count, state.optimizerState.slots.map(\.count) == expected else {
            throw SVIError.invalidArgument(
                "the saved SVI state has \(state.parameters.count) parameters and \(state.optimizerState.slots.count) "
                + "optimizer slots; this SVI has \(count) parameters and \(expected.count) slots")
        }
        if let problem = parameterProblem(state.parameters) {
            throw SVIError.invalidArgument("the saved SVI state has the unusable parameter \(problem)")
        }
        return state
    }
}

/// Reads fixed-width little-endian integers from bytes whose length was checked beforehand.
private struct LittleEndianReader {
    let bytes: [UInt8]
    var offset: Int

    mutating func read<T: FixedWidthInteger>() -> T {
        var value = T.zero
        for i in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: bytes[offset + i]) << (8 * i) }
        offset += MemoryLayout<T>.size
        return value
    }
}
