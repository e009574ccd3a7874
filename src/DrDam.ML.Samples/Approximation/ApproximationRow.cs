using System.Text.Json.Serialization;

namespace DrDam.ML.Samples.Approximation;

/// <summary>
/// One measured point of an approximation study: its coordinates (basis, β, D, K, Y, query kind,
/// step size) and its results. Fields that do not apply to a study stay null and are not written.
/// </summary>
internal sealed record ApproximationRow
{
    [JsonPropertyName("basis")] public string? Basis { get; init; }
    [JsonPropertyName("beta")] public double? Beta { get; init; }
    [JsonPropertyName("dimension")] public int? Dimension { get; init; }
    [JsonPropertyName("stored")] public int? Stored { get; init; }
    [JsonPropertyName("features")] public int? Features { get; init; }
    [JsonPropertyName("query")] public string? Query { get; init; }
    [JsonPropertyName("step_rule")] public string? StepRule { get; init; }
    [JsonPropertyName("step_size")] public double? StepSize { get; init; }
    [JsonPropertyName("energy_error")] public double? EnergyError { get; init; }
    [JsonPropertyName("gradient_error")] public double? GradientError { get; init; }
    [JsonPropertyName("hamming")] public double? Hamming { get; init; }
    [JsonPropertyName("steps")] public double? Steps { get; init; }
    [JsonPropertyName("bound")] public double? Bound { get; init; }
    [JsonPropertyName("observed")] public double? Observed { get; init; }
    [JsonPropertyName("violations")] public int? Violations { get; init; }
    [JsonPropertyName("kernel_error_constant")] public double? KernelErrorConstant { get; init; }
}
