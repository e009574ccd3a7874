using System.Globalization;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Samples.Approximation;

/// <summary>Shared naming and number formatting of the studies' tables, plots and files.</summary>
internal static class StudyFormat
{
    /// <summary>The basis as written in rows and file names (sincos, cos, positive-exp, positive-exp-exp).</summary>
    public static string Name(FeatureBasisKind basis) => basis switch
    {
        FeatureBasisKind.SinCos => "sincos",
        FeatureBasisKind.Cos => "cos",
        FeatureBasisKind.PositiveExp => "positive-exp",
        FeatureBasisKind.PositiveExpExp => "positive-exp-exp",
        _ => throw new ArgumentOutOfRangeException(nameof(basis), basis, null),
    };

    /// <summary>The two error measures plotted by the energy–gradient and basis studies: file suffix, axis label, value.</summary>
    public static readonly (string Name, string Label, Func<ApproximationRow, double?> Select)[] ErrorMeasures =
    [
        ("energy", "mean |E − Ê|", r => r.EnergyError),
        ("gradient", "mean ‖∇E − ∇Ê‖", r => r.GradientError),
    ];

    /// <summary>Four significant digits, invariant culture.</summary>
    public static string Number(double? value) => value is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "-";

    /// <summary>log₂ of a feature count, the x axis of every plot over Y.</summary>
    public static double Log2(int? features) => Math.Log2(features ?? throw new ArgumentException("A row without a feature count cannot be plotted over Y."));
}
