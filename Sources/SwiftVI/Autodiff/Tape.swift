/// A record of tensor operations for reverse-mode differentiation.
///
/// Make leaves with `variable(_:)`, compute with ordinary tensor operations (each
/// operation that touches a recorded tensor is recorded with its vector–Jacobian
/// product), then ask for `gradient(of:wrt:)`. A tape records one evaluation;
/// make a new one for the next.
public final class Tape {
    struct Node {
        /// Recorded operands, or -1 for an operand that was not recorded.
        let parents: [Int]
        /// Maps the gradient of this node's value to those of its operands; nil for leaves.
        let pullback: (([Double]) -> [[Double]])?
    }

    private(set) var nodes: [Node] = []

    public init() {}

    /// A leaf: gradients with respect to it can be asked for.
    public func variable(_ value: Tensor) -> Tensor {
        nodes.append(Node(parents: [], pullback: nil))
        return Tensor(shape: value.shape, scalars: value.scalars, tape: self, id: nodes.count - 1)
    }

    func record(_ shape: [Int], _ scalars: [Double], parents: [Int],
                pullback: @escaping ([Double]) -> [[Double]]) -> Tensor {
        nodes.append(Node(parents: parents, pullback: pullback))
        return Tensor(shape: shape, scalars: scalars, tape: self, id: nodes.count - 1)
    }

    /// The gradients of `output` with respect to each of `inputs`, each shaped like
    /// its input (zero for an input that `output` does not depend on). `output`
    /// must be a scalar unless `seed` — the cotangent, shaped like `output` — is given.
    public func gradient(of output: Tensor, wrt inputs: [Tensor], seed: [Double]? = nil) -> [Tensor] {
        precondition(seed != nil || output.count == 1, "gradient of a non-scalar needs a seed")
        var grads = [[Double]?](repeating: nil, count: nodes.count)
        if output.tape === self {
            grads[output.id] = seed ?? [1]
            for i in stride(from: output.id, through: 0, by: -1) {
                guard let g = grads[i], let pullback = nodes[i].pullback else { continue }
                for (parent, pg) in zip(nodes[i].parents, pullback(g)) where parent >= 0 {
                    if grads[parent] == nil {
                        grads[parent] = pg
                    } else {
                        for k in pg.indices { grads[parent]![k] += pg[k] }
                    }
                }
            }
        }
        return inputs.map { input in
            let g = input.tape === self ? grads[input.id] : nil
            return Tensor(shape: input.shape, scalars: g ?? [Double](repeating: 0, count: input.count))
        }
    }
}

/// The value of `f` at `x` and its gradient with respect to `x`.
public func valueWithGradient(at x: Tensor, of f: (Tensor) throws -> Tensor) rethrows -> (value: Double, gradient: Tensor) {
    let tape = Tape()
    let v = tape.variable(x)
    let y = try f(v)
    precondition(y.count == 1, "valueWithGradient needs a scalar-valued function")
    return (y.scalars[0], tape.gradient(of: y, wrt: [v])[0])
}
