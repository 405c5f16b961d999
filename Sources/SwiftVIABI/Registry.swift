import CSwiftVI

/// The kinds of object a handle can name.
enum HandleKind: UInt64, CaseIterable {
    case distribution = 1, model, guide, optimizer, elbo, svi, transform, vae

    var name: String {
        switch self {
        case .distribution: "a distribution"
        case .model: "a model"
        case .guide: "a guide"
        case .optimizer: "an optimizer"
        case .elbo: "an ELBO"
        case .svi: "an SVI"
        case .transform: "a transform"
        case .vae: "a VAE"
        }
    }
}

/// A registered object.
final class Entry: @unchecked Sendable {
    let kind: HandleKind
    let object: Any
    init(kind: HandleKind, object: Any) {
        self.kind = kind
        self.object = object
    }
}

/// Live objects, named by handles that encode a slot, the slot's generation and
/// the object's kind, so a freed, forged or mistyped handle is recognised and
/// never dereferenced. Handle layout: kind (bits 56–63), generation (32–55),
/// slot + 1 (0–31); 0 is the null handle.
enum Registry {
    private struct Slots {
        var entries: [Entry?] = []
        var generations: [UInt64] = []
        var free: [Int] = []
    }

    private static let slots = Locked(Slots())
    private static let generationMask: UInt64 = (1 << 24) - 1

    /// Registers `object` and returns its new handle.
    static func insert(_ object: Any, kind: HandleKind) throws -> UInt64 {
        try slots.withLock { s in
            let index: Int
            if let reused = s.free.popLast() {
                index = reused
            } else {
                guard s.entries.count < Int(UInt32.max) - 1 else {
                    throw ABIFailure.invalid("too many live objects")
                }
                index = s.entries.count
                s.entries.append(nil)
                s.generations.append(1)
            }
            s.entries[index] = Entry(kind: kind, object: object)
            return kind.rawValue << 56 | s.generations[index] << 32 | UInt64(index + 1)
        }
    }

    /// The object named by `handle`, which must be live and of `kind`.
    static func lookup<T>(_ handle: UInt64, _ kind: HandleKind, as type: T.Type = T.self) throws -> T {
        let entry = try slots.withLock { s in try live(s, handle) }
        guard entry.kind == kind, let object = entry.object as? T else {
            throw ABIFailure(status: SVI_E_WRONG_HANDLE_KIND,
                             message: "handle \(handle) names \(entry.kind.name), not \(kind.name)")
        }
        return object
    }

    /// Frees the object named by `handle`; the null handle is ignored.
    static func remove(_ handle: UInt64, _ kind: HandleKind) throws {
        if handle == 0 { return }
        try slots.withLock { s in
            let entry = try live(s, handle)
            guard entry.kind == kind else {
                throw ABIFailure(status: SVI_E_WRONG_HANDLE_KIND,
                                 message: "handle \(handle) names \(entry.kind.name), not \(kind.name)")
            }
            let index = Int(handle & 0xFFFF_FFFF) - 1
            s.entries[index] = nil
            s.generations[index] = s.generations[index] % generationMask + 1
            s.free.append(index)
        }
    }

    private static func live(_ s: Slots, _ handle: UInt64) throws -> Entry {
        let index = Int(handle & 0xFFFF_FFFF) - 1
        let generation = (handle >> 32) & generationMask
        guard index >= 0, index < s.entries.count, s.generations[index] == generation,
              let entry = s.entries[index], handle >> 56 == entry.kind.rawValue
        else {
            throw ABIFailure(status: SVI_E_STALE_HANDLE,
                             message: "handle \(handle) is stale: it was freed or never issued")
        }
        return entry
    }
}
