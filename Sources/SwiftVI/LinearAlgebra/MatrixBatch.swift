/// How the leading (batch) dimensions of operands made of matrix or vector
/// blocks broadcast against each other under NumPy's rules: for each element
/// of the broadcast batch, which block of each operand takes part.
struct MatrixBatch {
    /// The broadcast batch shape.
    let shape: [Int]
    /// The number of batch elements, the product of `shape`.
    let count: Int
    /// Per operand, the block index for each batch element; nil when the
    /// operand's batch shape already equals `shape`.
    private let blocks: [[Int]?]

    /// The broadcast of `batchShapes`, or nil when they do not broadcast.
    init?(_ batchShapes: [[Int]]) {
        guard let shape = broadcastShapes(batchShapes) else { return nil }
        self.shape = shape
        count = shape.reduce(1, *)
        blocks = batchShapes.map { broadcastOffsets($0, to: shape) }
    }

    /// The block of operand `operand` that meets batch element `index`.
    func block(_ operand: Int, _ index: Int) -> Int { blocks[operand]?[index] ?? index }
}

extension Tensor {
    /// The shape without its last `trailing` dimensions: the batch shape of a
    /// stack of vectors (`trailing` 1) or matrices (`trailing` 2).
    func batchShape(trailing: Int) -> [Int] { Array(shape.dropLast(trailing)) }

    /// The extents of the last two dimensions; the tensor must have rank ≥ 2.
    var matrixExtents: (rows: Int, columns: Int) {
        precondition(rank >= 2, "a matrix operand needs rank ≥ 2; got shape \(shape)")
        return (shape[rank - 2], shape[rank - 1])
    }
}
