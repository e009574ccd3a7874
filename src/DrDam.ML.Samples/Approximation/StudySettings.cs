namespace DrDam.ML.Samples.Approximation;

/// <summary>How much of a study to run: <paramref name="Quick"/> shrinks every grid so a study ends within a minute on 2 cores.</summary>
internal sealed record StudySettings(bool Quick, int Seed);
