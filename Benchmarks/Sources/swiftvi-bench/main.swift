import Foundation
import SwiftVI

/// swiftvi-bench — times SwiftVI on the benchmark cases.
///
///   swiftvi-bench generate [--data DIR]       writes the data files
///   swiftvi-bench stream                      times one read of the 100,000 × 50 features (the streaming bound)
///   swiftvi-bench cases                       prints each case's settings as a JSON line
///   swiftvi-bench run CASE [--api API] [--data DIR]
///                                             runs one case, prints its result as a JSON line
///   swiftvi-bench all [--data DIR] [--json FILE]
///                                             runs every case and API, each in a process of its own
///                                             (so each peak memory is that case's), and prints a table
let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String, default value: String) -> String {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return value }
    return arguments[i + 1]
}

let benchDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
let dataDirectory = option("--data", default: "\(benchDirectory)/data")

func runCase(_ name: String, api: String) throws -> CaseResult {
    guard let benchCase = BenchCase.all.first(where: { $0.name == name }) else { throw BenchError("no case \(name)") }
    let data = try Dataset.read(from: "\(dataDirectory)/\(benchCase.dataFile)")
    let model = try makeModel(benchCase, data, api: api)
    let guide: any Guide = try makeGuide(benchCase.guide, model)
    let svi = try SVI(model: model, guide: guide, optimizer: Adam(learningRate: .constant(benchCase.learningRate)),
                      loss: TraceELBO(numParticles: benchCase.particles))
    // The generic path is slow on the large cases: time fewer steps there.
    let steps = api == "program" && data.rows * data.columns > 100_000 ? max(benchCase.steps / 20, 5) : benchCase.steps
    let (microseconds, cpu, loss, allocations) = try time(svi, steps: steps, repeats: benchCase.repeats)
    return CaseResult(name: name, api: api, microsecondsPerStep: microseconds, cpuMicrosecondsPerStep: cpu, finalLoss: loss,
                      peakResidentMegabytes: peakResidentMegabytes(), allocationsPerStep: allocations, steps: steps)
}

func runAll() throws {
    var lines: [String] = []
    for benchCase in BenchCase.all {
        for api in apis {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            process.arguments = ["run", benchCase.name, "--api", api, "--data", dataDirectory]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0, let line = output.split(separator: "\n").last else {
                print("\(benchCase.name) \(api): failed"); continue
            }
            lines.append(String(line))
            print(line)
        }
    }
    let path = option("--json", default: "")
    if !path.isEmpty { try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8) }
}

do {
    switch arguments.first {
    case "generate":
        try DataFiles.generate(in: dataDirectory)
    case "stream":
        let data = try Dataset.read(from: "\(dataDirectory)/logreg_100000x50.bin")
        print("{\"stream_us\": \(streamingMicroseconds(data)), \"bytes\": \(8 * data.features.count)}")
    case "cases":
        for benchCase in BenchCase.all { print(benchCase.settingsJSON) }
    case "run" where arguments.count >= 2:
        print(try runCase(arguments[1], api: option("--api", default: apis[0])).json)
    case "all":
        try DataFiles.generate(in: dataDirectory)
        try runAll()
    default:
        print("usage: swiftvi-bench generate | cases | run CASE [--api \(apis.joined(separator: "|"))] | all [--json FILE]")
        exit(2)
    }
} catch {
    FileHandle.standardError.write("swiftvi-bench: \(error)\n".data(using: .utf8)!)
    exit(1)
}
