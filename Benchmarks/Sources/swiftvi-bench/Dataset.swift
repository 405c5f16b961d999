import Foundation
import SwiftVI

/// A regression data set: `rows` × `columns` features (row-major) and one
/// response per row. On disk: the 8 bytes "SVIBDATA", the row and column
/// counts as little-endian UInt64, then the features and the responses as
/// little-endian Float64 — the layout `numpyro_side_by_side.py` reads.
struct Dataset {
    let rows: Int
    let columns: Int
    let features: [Double]
    let responses: [Double]

    static let magic = Array("SVIBDATA".utf8)

    func write(to path: String) throws {
        var bytes = Dataset.magic
        for count in [rows, columns] { withUnsafeBytes(of: UInt64(count).littleEndian) { bytes += $0 } }
        for values in [features, responses] {
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Reads a data file straight into the two arrays (no intermediate copy,
    /// so the peak memory of a run is the data plus what the fit needs).
    static func read(from path: String) throws -> Dataset {
        guard let file = fopen(path, "rb") else { throw BenchError("cannot open \(path)") }
        defer { fclose(file) }
        var header = [UInt8](repeating: 0, count: 24)
        guard fread(&header, 1, 24, file) == 24, Array(header[..<8]) == magic else {
            throw BenchError("\(path) is not a data file")
        }
        let counts = header.withUnsafeBytes { raw in
            (1...2).map { Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))) }
        }
        func values(_ count: Int) throws -> [Double] {
            let array = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
                initialized = fread(buffer.baseAddress, 8, count, file)
            }
            guard array.count == count else { throw BenchError("\(path) is truncated") }
            return array  // the file is little-endian, as every host this runs on
        }
        let features = try values(counts[0] * counts[1])
        return Dataset(rows: counts[0], columns: counts[1], features: features, responses: try values(counts[0]))
    }

    /// The seed-002 regression: x = sorted 5·N(0, 1) draws, y = 0.5 x − 0.7 + N(0, 1).
    static func linearRegression(rows: Int, key: PRNGKey) -> Dataset {
        let keys = key.split(2)
        let x = keys[0].normal(rows).map { 5 * $0 }.sorted()
        let noise = keys[1].normal(rows)
        return Dataset(rows: rows, columns: 1, features: x, responses: (0..<rows).map { 0.5 * x[$0] - 0.7 + noise[$0] })
    }

    /// Logistic-regression data: standard normal features, true weights
    /// N(0, 1)/√columns, bias 0.3, y ~ Bernoulli(sigmoid(x·w + b)).
    static func logisticRegression(rows: Int, columns: Int, key: PRNGKey) -> Dataset {
        let keys = key.split(3)
        let x = keys[0].normal(rows * columns)
        let w = keys[1].normal(columns).map { $0 / Double(columns).squareRoot() }
        let u = keys[2].uniform(rows)
        let y = (0..<rows).map { i -> Double in
            var eta = 0.3
            for j in 0..<columns { eta += x[i * columns + j] * w[j] }
            return u[i] < 1 / (1 + exp(-eta)) ? 1 : 0
        }
        return Dataset(rows: rows, columns: columns, features: x, responses: y)
    }
}

/// The data sets the cases use, by file name.
enum DataFiles {
    static let all: [(name: String, make: @Sendable () -> Dataset)] = [
        ("linreg_10.bin", { Dataset.linearRegression(rows: 10, key: PRNGKey(seed: 1234)) }),
        ("logreg_1000x10.bin", { Dataset.logisticRegression(rows: 1000, columns: 10, key: PRNGKey(seed: 1)) }),
        ("logreg_100000x50.bin", { Dataset.logisticRegression(rows: 100_000, columns: 50, key: PRNGKey(seed: 2)) }),
    ]

    /// Writes every data set that `directory` lacks.
    static func generate(in directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, make) in all where !FileManager.default.fileExists(atPath: "\(directory)/\(name)") {
            try make().write(to: "\(directory)/\(name)")
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
