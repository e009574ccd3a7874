using DrDam.ML.Memory.Features;

namespace DrDam.ML.Samples.Approximation;

/// <summary>How much of a study to run: <paramref name="Quick"/> shrinks every grid so a study ends within a minute on 2 cores; <paramref name="Omega"/> is how DrDAM holds Ω (bfloat16 is measured against fp32 this way).</summary>
internal sealed record StudySettings(bool Quick, int Seed, ProjectionStorage Omega = ProjectionStorage.Cached);
