import CSwiftVI
import Foundation
import Testing

/// A transform that must be made.
private func makeTransform(_ name: String, _ params: [Parameter] = []) throws -> svi_transform {
    var t: svi_transform = 0
    try ok(withNamedArrays(params) { svi_transform_new(&t, name, $0, $1) }, "svi_transform_new(\(name))")
    return t
}

@Suite("Transforms through the header")
struct TransformABITests {
    @Test("forward, inverse, log-determinant and shapes of a composition")
    func composition() throws {
        let exp = try makeTransform("Exp"), affine = try makeTransform("Affine", [Parameter("loc", [1]), Parameter("scale", [2])])
        defer { svi_transform_free(exp); svi_transform_free(affine) }
        var chain: svi_transform = 0
        try ok([exp, affine].withUnsafeBufferPointer { svi_transform_compose(&chain, $0.baseAddress, 2) }, "svi_transform_compose")
        defer { svi_transform_free(chain) }
        let x = [0.5, -1.0]
        var y = [Double](repeating: sentinel, count: 2), back = y, logDet = y
        withArray(x, shape: [2]) { a in expectOK(svi_transform_forward(chain, a, &y, 2)) }
        #expect(y == x.map { 1 + 2 * Foundation.exp($0) })
        withArray(y, shape: [2]) { b in expectOK(svi_transform_inverse(chain, b, &back, 2)) }
        #expect(zip(back, x).allSatisfy { abs($0 - $1) < 1e-15 })
        withArray(x, shape: [2]) { a in
            withArray(y, shape: [2]) { b in expectOK(svi_transform_log_abs_det_jacobian(chain, a, b, &logDet, 2)) }
        }
        #expect(zip(logDet, x).allSatisfy { abs($0 - ($1 + Foundation.log(2))) < 1e-15 })
        var name: UnsafePointer<CChar>?
        expectOK(svi_transform_codomain(chain, &name))
        #expect(String(cString: name!) == "real")
        var shape = [Int](repeating: 0, count: 4), ndim = 0
        let fill = try makeTransform("FillTriangular")
        defer { svi_transform_free(fill) }
        [5, 10].withUnsafeBufferPointer { s in expectOK(svi_transform_forward_shape(fill, 2, s.baseAddress, &shape, 4, &ndim)) }
        #expect(Array(shape.prefix(ndim)) == [5, 4, 4])
        var domainDims = 9, codomainDims = 9
        expectOK(svi_transform_event_dims(fill, &domainDims, &codomainDims))
        #expect((domainDims, codomainDims) == (1, 2))
    }

    @Test("errors: NULL pointers, stale and mistyped handles, lengths, unknown names")
    func errors() throws {
        let exp = try makeTransform("Exp")
        let dist = try makeDistribution("Normal", [Parameter("loc", [0]), Parameter("scale", [1])])
        defer { svi_dist_free(dist) }
        var out = [Double](repeating: sentinel, count: 3)
        var handle = sentinelHandle
        expectFailure(svi_transform_new(nil, "Exp", nil, 0), SVI_E_NULL_POINTER, "svi_transform_new")
        expectFailure(svi_transform_new(&handle, nil, nil, 0), SVI_E_NULL_POINTER, "svi_transform_new")
        expectFailure(svi_transform_new(&handle, "Warp", nil, 0), SVI_E_INVALID_ARGUMENT, "svi_transform_new")
        expectFailure(svi_transform_compose(&handle, nil, 1), SVI_E_NULL_POINTER, "svi_transform_compose")
        expectFailure(svi_transform_compose(&handle, nil, 0), SVI_E_INVALID_ARGUMENT, "svi_transform_compose")
        expectFailure(svi_biject_to(&handle, "boolean", nil, 0), SVI_E_NOT_IMPLEMENTED, "svi_biject_to")
        expectFailure(svi_biject_to(&handle, "interval", nil, 0), SVI_E_INVALID_ARGUMENT, "svi_biject_to")
        #expect(handle == sentinelHandle)
        withArray([1, 2, 3], shape: [3]) { a in
            expectFailure(svi_transform_forward(exp, a, &out, 2), SVI_E_SHAPE_MISMATCH, "svi_transform_forward")
            expectFailure(svi_transform_forward(exp, a, nil, 3), SVI_E_NULL_POINTER, "svi_transform_forward")
            expectFailure(svi_transform_forward(dist, a, &out, 3), SVI_E_WRONG_HANDLE_KIND, "svi_transform_forward")
        }
        #expect(bits(out) == bits([sentinel, sentinel, sentinel]))
        expectFailure(svi_transformed_distribution_new(&handle, exp, exp), SVI_E_WRONG_HANDLE_KIND, "svi_transformed_distribution_new")
        var d: svi_dist = 0
        expectOK(svi_transformed_distribution_new(&d, dist, exp))
        var family: UnsafePointer<CChar>?
        expectOK(svi_dist_family(d, &family))
        #expect(String(cString: family!) == "TransformedDistribution")
        expectOK(svi_dist_free(d))
        expectOK(svi_transform_free(exp))
        expectFailure(svi_transform_free(exp), SVI_E_STALE_HANDLE, "svi_transform_free")
        expectFailure(svi_transform_inv(&handle, exp), SVI_E_STALE_HANDLE, "svi_transform_inv")
        expectOK(svi_transform_free(0))
    }
}
