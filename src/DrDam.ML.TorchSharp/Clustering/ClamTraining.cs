using DrDam.ML.Compute.Torch;
using DrDam.ML.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Clustering;

/// <summary>
/// Trains ClAM's prototypes with TorchSharp autograd and Adam on the (masked) reconstruction loss
/// mean(m ⊙ (x − f_ρ(x̃))²), stopping once the loss stalls (<see cref="ClusteringOptions.Tolerance"/>) and keeping the
/// prototypes of the best epoch (docs/CLUSTERING.md).
/// </summary>
public static class ClamTraining
{
    /// <summary>The trained prototypes (row-major k×d), the β used and the loss of every epoch.</summary>
    public static (float[] Prototypes, double Beta, IReadOnlyList<double> Losses) Train(float[] data, int rows, int dimension, ClusteringOptions options)
    {
        CheckInput(data, rows, dimension, options);
        var k = options.ClusteringCount;

        var beta = options.Beta ?? AutomaticBeta(data, rows, dimension);
        TorchSharpNative.EnsureLoaded();
        using var threads = TorchThreads.Use(options.Threads, rows, dimension, k);
        var device = Resolve(options.Device);
        var random = new Random(options.Seed);
        using var masks = new torch.Generator((ulong)options.Seed, device);
        using var maskFraction = options.MaskFraction.ToScalar(); // explicit and kept: no implicit Scalar per batch (see TorchScalars)
        using var x = torch.tensor(data, [rows, dimension]).to(device);
        using var featureMean = x.mean([0], keepdim: true);
        using var layer = new ContractionLayer(torch.tensor(InitialPrototypes(data, x, options, random), [k, dimension]).to(device),
            beta, options.StepSize, options.Steps, options.LearnBeta);
        using var optimizer = new AdamOptimizer(layer.parameters(), options.LearningRate);
        var losses = new List<double>();
        var stopping = new EarlyStopping(options.Tolerance);
        var bestPrototypes = layer.Prototypes.detach().cpu().data<float>().ToArray();
        var bestBeta = beta;
        var order = Enumerable.Range(0, rows).Select(i => (long)i).ToArray();
        var epochRows = Math.Min(rows, options.EpochRows);
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            random.Shuffle(order); // an epoch is the first EpochRows of a fresh shuffle: every row when there are fewer
            var total = 0.0;
            for (var start = 0; start < epochRows; start += options.BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                var count = Math.Min(options.BatchSize, epochRows - start);
                var batch = x.index_select(0, torch.tensor(order.AsSpan(start, count).ToArray(), device: device));
                Tensor input, mask;
                if (options.Masking)
                {
                    mask = torch.rand([count, dimension], generator: masks, device: device).lt(maskFraction).to_type(x.dtype);
                    input = batch.mul(torch.ones_like(mask).add(mask, TorchScalars.MinusOne)).add(featureMean.mul(mask), TorchScalars.One); // hidden features start at the mean
                }
                else
                {
                    mask = torch.ones_like(batch);
                    input = batch;
                }
                var error = batch.add(layer.forward(input, mask), TorchScalars.MinusOne);
                var loss = mask.mul(error.mul(error)).mean();
                optimizer.ZeroGrad();
                loss.backward();
                optimizer.Step();
                total += loss.item<float>() * count;
            }
            var epochLoss = total / epochRows;
            losses.Add(epochLoss);
            options.Progress?.Report(new ClusteringEpoch(epoch, epochLoss, options.LearningRate, layer.Prototypes.detach().cpu().data<float>().ToArray()));
            if (stopping.Record(epochLoss))
            {
                bestPrototypes = layer.Prototypes.detach().cpu().data<float>().ToArray();
                bestBeta = options.LearnBeta ? layer.Beta : beta;
            }
            if (stopping.ShouldStop)
                break;
        }
        return (bestPrototypes, bestBeta, losses);
    }

    /// <summary>β = AutomaticBetaScale / E‖x − x′‖², with E‖x − x′‖² = 2·Σⱼ Var(xⱼ) over all pairs of rows.</summary>
    public static double AutomaticBeta(ReadOnlySpan<float> data, int rows, int dimension)
    {
        var total = 0.0;
        for (var j = 0; j < dimension; j++)
        {
            double sum = 0, squares = 0;
            for (var i = 0; i < rows; i++)
            {
                double v = data[i * dimension + j];
                sum += v;
                squares += v * v;
            }
            total += squares / rows - (sum / rows) * (sum / rows);
        }
        return total > 0 ? ClusteringOptions.AutomaticBetaScale / (2 * total) : 1;
    }

    /// <summary>Validates the options and the data: its shape, finite values, and at least k rows.</summary>
    internal static void CheckInput(float[] data, int rows, int dimension, ClusteringOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (data.Length != rows * dimension)
            throw new ArgumentException($"data must hold rows×dimension = {rows}×{dimension} values (got {data.Length}).", nameof(data));
        Memory.Guard.Finite(data, dimension, "data");
        if (options.ClusteringCount > rows)
            throw new ArgumentOutOfRangeException(nameof(options), $"ClusteringCount = {options.ClusteringCount} exceeds the number of rows ({rows}).");
    }

    /// <summary>The device for <paramref name="choice"/>.</summary>
    /// <exception cref="InvalidOperationException">CUDA was asked for and TorchSharp finds none.</exception>
    public static Device Resolve(TrainingDevice choice) => choice switch
    {
        TrainingDevice.Cpu => CPU,
        TrainingDevice.Cuda => torch.cuda.is_available() ? CUDA : throw new InvalidOperationException("Device = Cuda, but TorchSharp finds no CUDA device (reference a libtorch-cuda runtime package and check the driver)."),
        _ => torch.cuda.is_available() ? CUDA : CPU,
    };

    /// <summary>The starting prototypes (k×d) chosen by <see cref="ClusteringOptions.Initialization"/>, for the rows <paramref name="data"/> (also given as the tensor <paramref name="x"/>, n×d).</summary>
    internal static float[] InitialPrototypes(float[] data, Tensor x, ClusteringOptions options, Random random)
    {
        if (options.Initialization == PrototypeInitialization.KMeansPlusPlus)
            return KMeansPlusPlus.Seeds(x, options.ClusteringCount, options.Seed, 1)[0];
        if (options.Initialization == PrototypeInitialization.KMeans)
            return KMeansPlusPlus.BestOf(data, x, options.ClusteringCount, options.Seed);
        var values = new float[options.ClusteringCount * (int)x.shape[1]];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)(0.1 + 0.1 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return values;
    }
}
