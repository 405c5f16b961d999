/// A plate as the program body sees it: which of its elements are present.
public struct PlateScope: Sendable {
    public let name: String
    /// The number of elements the plate stands for.
    public let size: Int
    /// The number of elements present in this run.
    public let subsampleSize: Int
    /// The batch dimension the plate occupies (negative, -1 the rightmost).
    public let dim: Int
    /// The present elements, distinct and in 0..<size (all of them, in order,
    /// unless subsampled).
    public let indices: [Int]

    /// The frame that sites inside the plate record.
    var frame: PlateFrame { PlateFrame(name: name, dim: dim, size: size, subsampleSize: subsampleSize) }

    /// Sends the plate's message through `context`'s handlers (a seed gives the
    /// key its subsample is drawn with, a substitute may give the indices) and
    /// allocates its batch dimension.
    static func enter(_ name: String, size: Int, subsampleSize: Int?, dim: Int?,
                      in context: ProgramContext) throws -> PlateScope {
        guard !name.isEmpty else { throw SVIError.invalidArgument("a plate needs a non-empty name") }
        guard size > 0 else { throw SVIError.invalidArgument("plate '\(name)': size must be positive; got \(size)") }
        let requested = subsampleSize ?? size
        guard requested >= 1 && requested <= size else {
            throw SVIError.invalidArgument("plate '\(name)': subsample size must be in 1...\(size); got \(requested)")
        }
        if let dim, dim >= 0 {
            throw SVIError.invalidArgument("plate '\(name)': dim must be negative; got \(dim)")
        }
        let message = try context.apply(SiteMessage(plate: name, size: size, subsampleSize: requested))
        let indices = try wholeIndices(message.value!, below: size, plate: name)
        let occupied = Set(message.plates.map(\.dim))
        var chosen = dim ?? -1
        if dim == nil {
            while occupied.contains(chosen) { chosen -= 1 }
        } else if occupied.contains(chosen) {
            throw SVIError.invalidArgument("plate '\(name)': dim \(chosen) is taken by an enclosing plate")
        }
        return PlateScope(name: name, size: size, subsampleSize: indices.count, dim: chosen, indices: indices)
    }

    /// The indices in `value`: a non-empty vector of distinct whole numbers in 0..<size.
    private static func wholeIndices(_ value: Tensor, below size: Int, plate name: String) throws -> [Int] {
        let valid = value.rank == 1 && value.count > 0
            && value.scalars.allSatisfy { $0 >= 0 && $0 < Double(size) && $0.rounded() == $0 }
        guard valid else {
            throw SVIError.invalidArgument(
                "plate '\(name)': subsample indices must be a non-empty vector of whole numbers in 0..<\(size)")
        }
        let indices = value.scalars.map { Int($0) }
        guard Set(indices).count == indices.count else {
            throw SVIError.invalidArgument("plate '\(name)': subsample indices must be distinct")
        }
        return indices
    }

    /// The present elements of `data` (NumPyro's `subsample`): `data` taken at
    /// `indices` along the plate's dimension, counted left of the rightmost
    /// `eventDim` dimensions. Data of extent 1 there, or of too few dimensions,
    /// is returned as it is; any other extent than `size` throws.
    public func subsample(_ data: Tensor, eventDim: Int = 0) throws -> Tensor {
        guard eventDim >= 0 else {
            throw SVIError.invalidArgument("plate '\(name)': eventDim must be non-negative; got \(eventDim)")
        }
        let axis = data.rank + dim - eventDim
        guard axis >= 0, data.shape[axis] != 1 else { return data }
        guard data.shape[axis] == size else {
            throw SVIError.shapeMismatch(
                "plate '\(name)' of size \(size): data of shape \(data.shape) has extent \(data.shape[axis]) on its plate dimension")
        }
        guard subsampleSize < size else { return data }
        let outer = data.shape[..<axis].reduce(1, *), inner = data.shape[(axis + 1)...].reduce(1, *)
        var offsets: [Int] = []
        offsets.reserveCapacity(outer * indices.count * inner)
        for o in 0..<outer {
            for index in indices {
                let start = (o * size + index) * inner
                offsets += start ..< start + inner
            }
        }
        var shape = data.shape
        shape[axis] = subsampleSize
        return data.gathering(offsets, shape: shape)
    }
}

/// The handler a plate pushes while its body runs: it records the plate in the
/// frames of sample, param and plate sites inside, broadcasts sample sites'
/// distributions to the plates' batch shape and scales subsampled sites.
final class PlateMessenger: Messenger {
    private let scope: PlateScope

    init(_ scope: PlateScope) { self.scope = scope }

    func process(_ message: inout SiteMessage) throws {
        guard message.kind != .deterministic else { return }
        message.plates.append(scope.frame)
        if message.kind == .sample, let distribution = message.distribution {
            let batch = message.sampleShape + distribution.batchShape
            let expected = platesBatchShape(message.plates)
            let overlap = max(expected.count - batch.count, 0)
            guard let trailing = broadcastShapes(Array(expected[overlap...]), batch) else {
                throw SVIError.shapeMismatch(
                    "sample site '\(message.name)': batch shape \(batch) does not broadcast with the plates' shape \(expected)")
            }
            let shape = Array(expected[..<overlap]) + trailing
            if shape != distribution.batchShape {
                message.distribution = try distribution.expanded(to: shape)
            }
            message.sampleShape = []
        }
        if scope.subsampleSize != scope.size {
            message.scale = (message.scale ?? 1) * Double(scope.size) / Double(scope.subsampleSize)
        }
    }

    /// The batch shape the frames ask for: each plate's present size on its dimension, 1 elsewhere.
    private func platesBatchShape(_ frames: [PlateFrame]) -> [Int] {
        let rank = frames.map { -$0.dim }.max() ?? 0
        var shape = [Int](repeating: 1, count: rank)
        for frame in frames { shape[rank + frame.dim] = frame.subsampleSize }
        return shape
    }
}
