namespace HpcLearn.Tasks.Clustering;

/// <summary>How k-means computes the point–centre distances of its assignment step.</summary>
public enum KMeansKernel
{
    /// <summary>Our blocked SIMD kernel (‖x‖² − 2x·c + ‖c‖², four points × 2W centres at a time); the result does not depend on the thread count. The default.</summary>
    Simd,
    /// <summary>
    /// The x·c products as one matrix product through libtorch (<c>torch.mm</c>, its BLAS and thread
    /// count), the argmin and sums as <see cref="Simd"/>. Measured no faster than <see cref="Simd"/> on
    /// Fashion-MNIST (784 columns) on our 2-core machine (docs/benchmarks.md), so not the default;
    /// the products' rounding depends on the BLAS, the CPU, the row count and memory alignment, so in
    /// near-ties (two centres equally far within float rounding) a label may differ from <see cref="Simd"/>'s
    /// or between runs. Distances and inertia are computed exactly from the chosen centre, in double.
    /// </summary>
    Gemm,
}
