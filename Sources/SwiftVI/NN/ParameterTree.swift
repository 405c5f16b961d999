/// Named tensors laid out one after another in one flat vector, the form the
/// optimizers update: a network's parameters are a flat `[Double]` (a leaf
/// variable on the tape during a step) and the tree says which elements are
/// which weight. Names of nested trees are joined with dots
/// ("encoder.layer0.weight").
public struct ParameterTree: Equatable, Sendable {
    /// One named tensor of the tree.
    public struct Leaf: Equatable, Sendable {
        public let name: String
        public let shape: [Int]
        /// The position of its first element in the flat vector.
        public let offset: Int
        /// Its number of elements.
        public var count: Int { shape.reduce(1, *) }
        /// Its elements' positions in the flat vector.
        public var range: Range<Int> { offset ..< offset + count }
    }

    /// The leaves in their order in the flat vector.
    public let leaves: [Leaf]
    private let positions: [String: Int]

    /// The tree of the named shapes, in order. Throws unless the names are
    /// distinct and non-empty and the extents non-negative.
    public init(_ shapes: [(name: String, shape: [Int])]) throws {
        var leaves: [Leaf] = [], positions: [String: Int] = [:], offset = 0
        for (name, shape) in shapes {
            guard !name.isEmpty else { throw SVIError.invalidArgument("ParameterTree: a parameter needs a name") }
            guard shape.allSatisfy({ $0 >= 0 }) else {
                throw SVIError.invalidArgument("ParameterTree: parameter '\(name)' has a negative extent in \(shape)")
            }
            guard positions.updateValue(leaves.count, forKey: name) == nil else {
                throw SVIError.invalidArgument("ParameterTree: parameter name '\(name)' is used twice")
            }
            let leaf = Leaf(name: name, shape: shape, offset: offset)
            leaves.append(leaf)
            offset += leaf.count
        }
        self.leaves = leaves
        self.positions = positions
    }

    /// The trees one after another, each leaf's name prefixed by its tree's
    /// name and a dot. Throws when two prefixes are equal or empty.
    public init(children: [(prefix: String, tree: ParameterTree)]) throws {
        guard children.allSatisfy({ !$0.prefix.isEmpty }) else {
            throw SVIError.invalidArgument("ParameterTree: a subtree needs a non-empty prefix")
        }
        try self.init(children.flatMap { child in child.tree.leaves.map { ("\(child.prefix).\($0.name)", $0.shape) } })
    }

    /// The total number of elements.
    public var count: Int { leaves.last.map { $0.offset + $0.count } ?? 0 }

    /// The leaf called `name`; throws naming the known leaves when there is none.
    public func leaf(_ name: String) throws -> Leaf {
        guard let position = positions[name] else {
            throw SVIError.invalidArgument(
                "ParameterTree: no parameter named '\(name)'; known: \(leaves.map(\.name).joined(separator: ", "))")
        }
        return leaves[position]
    }

    /// The elements of the leaves whose names start with `prefix` and a dot:
    /// a contiguous part of `flat` (recorded on its tape), as a vector.
    public func segment(_ prefix: String, of flat: Tensor) throws -> Tensor {
        try checkCount(flat.count)
        let inside = leaves.filter { $0.name.hasPrefix(prefix + ".") }
        guard let first = inside.first, let last = inside.last else {
            throw SVIError.invalidArgument("ParameterTree: no parameters under '\(prefix)'")
        }
        return flat.gathering(Array(first.offset ..< last.offset + last.count), shape: [last.offset + last.count - first.offset])
    }

    /// The value of leaf `name` in `flat`, in its shape (recorded on `flat`'s tape).
    public func value(_ name: String, in flat: Tensor) throws -> Tensor {
        try checkCount(flat.count)
        let leaf = try leaf(name)
        return flat.gathering(Array(leaf.range), shape: leaf.shape)
    }

    /// Each leaf's elements in `flat`, by name.
    public func named(_ flat: [Double]) throws -> [String: [Double]] {
        try checkCount(flat.count)
        return Dictionary(uniqueKeysWithValues: leaves.map { ($0.name, Array(flat[$0.range])) })
    }

    /// The flat vector holding `values` (every leaf by name, with its count).
    public func flat(_ values: [String: [Double]]) throws -> [Double] {
        try leaves.flatMap { leaf -> [Double] in
            guard let v = values[leaf.name] else { throw SVIError.invalidArgument("ParameterTree: no value for '\(leaf.name)'") }
            guard v.count == leaf.count else {
                throw SVIError.shapeMismatch("ParameterTree: '\(leaf.name)' has \(v.count) values; its shape \(leaf.shape) needs \(leaf.count)")
            }
            return v
        }
    }

    private func checkCount(_ n: Int) throws {
        guard n == count else {
            throw SVIError.shapeMismatch("ParameterTree: a flat vector of \(n) elements for a tree of \(count)")
        }
    }
}
