using DrDam.ML.Memory;

namespace DrDam.ML.Clustering;

/// <summary>How ClAM's prototypes start.</summary>
public enum PrototypeInitialization
{
    /// <summary>k-means++ on the data, seeded.</summary>
    KMeansPlusPlus = 0,
    /// <summary>N(0.1, 0.1²) draws, as in the reference code.</summary>
    Gaussian = 1,
    /// <summary>The best (highest simplified silhouette) of <see cref="KMeansPlusPlus.Restarts"/> seeded k-means++ + Lloyd runs: ClAM starts from a k-means solution and refines it (default).</summary>
    KMeans = 2,
}

/// <summary>Where ClAM trains.</summary>
public enum TrainingDevice
{
    /// <summary>CUDA when TorchSharp finds a GPU, else the CPU.</summary>
    Auto = 0,
    /// <summary>The CPU.</summary>
    Cpu = 1,
    /// <summary>CUDA (an error where there is none).</summary>
    Cuda = 2,
}

/// <summary>One finished training epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Mean training loss over the epoch (the reconstruction, plus the neighbour embedding in the deep variant).</param>
/// <param name="LearningRate">Adam's learning rate during the epoch.</param>
/// <param name="Prototypes">The prototypes after the epoch (row-major k×d, in the feature space; null for the deep variant, whose prototypes live in its latent space).</param>
/// <param name="Assignments">Deep variant only (else null): every training row's nearest prototype (0…k−1) in the latent space after the epoch.</param>
/// <param name="Pretraining">Deep variant only: an epoch of the autoencoder's pretraining (1 … PretrainEpochs), before the prototypes exist.</param>
public readonly record struct ClusteringEpoch(int Epoch, double Loss, double LearningRate, float[]? Prototypes = null, int[]? Assignments = null, bool Pretraining = false);

/// <summary>
/// Settings of ClAM, end-to-end differentiable clustering with an associative memory (docs/CLUSTERING.md),
/// for <c>mlContext.Clustering.Trainers.AssociativeMemory</c>. Each setting is validated when set.
/// </summary>
public sealed record ClusteringOptions
{
    private readonly string featureColumnName = "Features";
    private readonly int clusteringCount = 3, steps = 10, epochs = 60, batchSize = 256, epochRows = 2048;
    private readonly int? threads;
    private readonly double? beta;
    private readonly double stepSize = 0.1, learningRate = 0.02, maskFraction = 0.2, tolerance = 2e-2;
    private readonly PrototypeInitialization initialization = PrototypeInitialization.KMeans;
    private readonly TrainingDevice device = TrainingDevice.Auto;

    /// <summary>The float-vector column to cluster. Default "Features".</summary>
    public string FeatureColumnName
    {
        get => featureColumnName;
        init => featureColumnName = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("FeatureColumnName must name a column.", nameof(FeatureColumnName)) : value;
    }

    /// <summary>k, the number of clusters (prototypes), at least 2. Default 3.</summary>
    public int ClusteringCount
    {
        get => clusteringCount;
        init => clusteringCount = value >= 2 ? value : throw new ArgumentOutOfRangeException(nameof(ClusteringCount), value, $"ClusteringCount must be >= 2 (got {value}).");
    }

    /// <summary>
    /// β of the contraction's softmax (&gt; 0), or null (default) for β = <see cref="AutomaticBetaScale"/> / E‖x − x′‖²,
    /// the mean squared distance between rows: 1.5 for 64 standardised features, ≈ 24 for 4, ≈ 0.12 for 784.
    /// </summary>
    public double? Beta { get => beta; init => beta = value is { } b ? Guard.Positive(b, nameof(Beta)) : null; }

    /// <summary>Also learn β (through log β) by gradient descent, starting from <see cref="Beta"/>. Default false.</summary>
    public bool LearnBeta { get; init; }

    /// <summary>β·E‖x − x′‖² for the automatic β (measured on iris, digits and Fashion-MNIST: see the README).</summary>
    public const double AutomaticBetaScale = 192;

    /// <summary>T, unrolled descent steps (&gt;= 1). Default 10.</summary>
    public int Steps { get => steps; init => steps = Guard.Positive(value, nameof(Steps)); }

    /// <summary>α, the step of the contraction (&gt; 0). Default 0.1.</summary>
    public double StepSize { get => stepSize; init => stepSize = Guard.Positive(value, nameof(StepSize)); }

    /// <summary>The most training epochs (&gt;= 1); training stops earlier once the loss stalls (<see cref="Tolerance"/>). Default 60.</summary>
    public int Epochs { get => epochs; init => epochs = Guard.Positive(value, nameof(Epochs)); }

    /// <summary>
    /// Rows per Adam step (&gt;= 1). Default 256: the cost per row is the same from 32 to a full batch (libtorch's per-op
    /// overhead is paid per step), and the clusters found were the same on digits, so fewer, larger steps.
    /// </summary>
    public int BatchSize { get => batchSize; init => batchSize = Guard.Positive(value, nameof(BatchSize)); }

    /// <summary>Adam's learning rate (&gt; 0). Default 0.02.</summary>
    public double LearningRate { get => learningRate; init => learningRate = Guard.Positive(value, nameof(LearningRate)); }

    /// <summary>
    /// Rows per epoch (&gt;= 1): an epoch trains on this many rows of a fresh shuffle, or on every row when there are
    /// fewer. The prototypes start from k-means, so a few thousand rows per epoch refine them; the cost of training then
    /// stops growing with the data, while k-means' own grows with it. Default 2048 (4096 cost 15–30% more on
    /// Fashion-MNIST for the same clusters).
    /// </summary>
    public int EpochRows { get => epochRows; init => epochRows = Guard.Positive(value, nameof(EpochRows)); }

    /// <summary>
    /// Early stopping: training stops once <see cref="Patience"/> epochs in a row fail to lower the best epoch loss by
    /// more than this fraction of it (&gt;= 0; 0 runs every epoch). The best epoch's prototypes are kept. Default 0.02
    /// (the masks make the epoch loss move by a few percent; 0.01 ran longer for the same clusters).
    /// </summary>
    public double Tolerance { get => tolerance; init => tolerance = Guard.NonNegative(value, nameof(Tolerance)); }

    /// <summary>Epochs without enough improvement before training stops (see <see cref="Tolerance"/>).</summary>
    public const int Patience = 2;

    /// <summary>Self-supervised masking: hide a fraction of each row's features and learn to fill them in. Default true.</summary>
    public bool Masking { get; init; } = true;

    /// <summary>Fraction of features hidden per row when masking, in (0, 1). Default 0.2.</summary>
    public double MaskFraction
    {
        get => maskFraction;
        init => maskFraction = value > 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaskFraction), value, $"MaskFraction must lie in (0, 1) (got {value}).");
    }

    /// <summary>How prototypes start. Default <see cref="PrototypeInitialization.KMeans"/> (the best of <see cref="KMeansPlusPlus.Restarts"/> k-means runs), measured best.</summary>
    public PrototypeInitialization Initialization { get => initialization; init => initialization = Guard.Defined(value, nameof(Initialization)); }

    /// <summary>Seed of the initialisation, the batch order and the masks. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// libtorch threads while training (&gt;= 1; restored afterwards), or null (default): one thread for small data, one
    /// per core once a step over all rows is large enough to share. libtorch's own default oversubscribes a busy host.
    /// </summary>
    public int? Threads { get => threads; init => threads = value is { } t ? Guard.Positive(t, nameof(Threads)) : null; }

    /// <summary>Where training runs. Prediction never needs TorchSharp. Default Auto.</summary>
    public TrainingDevice Device { get => device; init => device = Guard.Defined(value, nameof(Device)); }

    /// <summary>
    /// The deep variant: cluster in the latent space of an autoencoder trained end to end with the
    /// contraction (null, the default: cluster the features themselves).
    /// </summary>
    public DeepClusteringOptions? Deep { get; init; }

    /// <summary>Told the loss after each epoch (not saved with the model).</summary>
    public IProgress<ClusteringEpoch>? Progress { get; init; }
}

/// <summary>Sizes, pretraining and neighbour embedding of the deep variant's encoder/decoder MLPs, each validated when set.</summary>
public sealed record DeepClusteringOptions
{
    private readonly int hiddenSize = 256, latentSize = 10, pretrainEpochs = 60, neighbourCount = 15;
    private readonly double learningRate = 0.001, neighbourWeight = 1;

    /// <summary>Hidden units of encoder and decoder (&gt; 0). Default 256.</summary>
    public int HiddenSize { get => hiddenSize; init => hiddenSize = Guard.Positive(value, nameof(HiddenSize)); }

    /// <summary>Latent size, where the prototypes live (&gt; 0). Default 10.</summary>
    public int LatentSize { get => latentSize; init => latentSize = Guard.Positive(value, nameof(LatentSize)); }

    /// <summary>
    /// Epochs of autoencoder training (reconstruction plus the neighbour embedding) before the prototypes are seeded in
    /// the latent space (&gt; 0). Default 60 (30 gave 0.02 lower NMI on Fashion-MNIST 10k, seeds 0 and 1).
    /// </summary>
    public int PretrainEpochs { get => pretrainEpochs; init => pretrainEpochs = Guard.Positive(value, nameof(PretrainEpochs)); }

    /// <summary>Adam's learning rate for the encoder and decoder (&gt; 0; the prototypes use the main one). Default 0.001.</summary>
    public double LearningRate { get => learningRate; init => learningRate = Guard.Positive(value, nameof(LearningRate)); }

    /// <summary>
    /// Nearest neighbours of each row in the input whose latent codes the encoder keeps close (&gt; 0; capped at the
    /// rows − 1). Default 15 (UMAP's default).
    /// </summary>
    public int NeighbourCount { get => neighbourCount; init => neighbourCount = Guard.Positive(value, nameof(NeighbourCount)); }

    /// <summary>
    /// Weight of the neighbour-embedding loss against the mean squared reconstruction error (&gt;= 0; 0 trains a plain
    /// autoencoder and skips the neighbour search, O(n²·d)). Default 1: on Fashion-MNIST 10k, seeds 0–9, deep ClAM's NMI
    /// was 0.057–0.099 above KMeans' on the same pixels; with 0, seeds 0–2 gave 0.010–0.063 (docs/CLUSTERING.md).
    /// </summary>
    public double NeighbourWeight { get => neighbourWeight; init => neighbourWeight = Guard.NonNegative(value, nameof(NeighbourWeight)); }
}
