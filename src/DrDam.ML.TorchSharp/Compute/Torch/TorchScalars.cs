using TorchSharp;

namespace DrDam.ML.Compute.Torch;

/// <summary>
/// Long-lived Scalars for tensor additions. TorchSharp's <c>+</c> and <c>-</c> operators create an implicit
/// Scalar (alpha = 1) per call and leave it to the GC finalizer, which can free it while the native call
/// still uses it ("INTERNAL ASSERT FAILED at Scalar.h", seen here in long training runs; dotnet/TorchSharp
/// PR 1434). Passing these explicitly avoids every implicit Scalar in the hot paths of ClAM and the Torch backend.
/// </summary>
internal static class TorchScalars
{
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar MinusOne = (-1.0).ToScalar();
    public static readonly Scalar MinusTwo = (-2.0).ToScalar();
    public static readonly Scalar Zero = 0.0.ToScalar();
    public static readonly Scalar Tiny = 1e-30.ToScalar();
}
