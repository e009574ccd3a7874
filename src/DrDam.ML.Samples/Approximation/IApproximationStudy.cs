using Spectre.Console;

namespace DrDam.ML.Samples.Approximation;

/// <summary>One of the paper's approximation experiments (docs/MATH.md §4–5), run as a grid of measured points.</summary>
internal interface IApproximationStudy
{
    /// <summary>The name on the command line (<c>approx NAME</c>).</summary>
    string Name { get; }

    /// <summary>Measures every point of the grid; <paramref name="progress"/> receives the fraction done.</summary>
    IReadOnlyList<ApproximationRow> Run(StudySettings settings, IProgress<double>? progress);

    /// <summary>The rows condensed into one console table.</summary>
    Table Summarize(IReadOnlyList<ApproximationRow> rows);

    /// <summary>Writes the study's PNG plots into <paramref name="folder"/> and returns their paths.</summary>
    IReadOnlyList<string> Plot(IReadOnlyList<ApproximationRow> rows, string folder);
}
