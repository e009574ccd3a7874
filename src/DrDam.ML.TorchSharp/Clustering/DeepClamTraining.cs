using DrDam.ML.Compute.Torch;
using DrDam.ML.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Clustering;

/// <summary>
/// Trains deep ClAM: pretrain the autoencoder on reconstruction plus the neighbour embedding of its codes
/// (<see cref="NeighbourEmbeddingLoss"/> over the input's <see cref="NeighbourGraph"/>), seed the prototypes by k-means
/// in its latent space, then train encoder, prototypes and decoder jointly on ‖x − d(f_ρ(e(x)))‖² plus the same
/// neighbour embedding, until the loss stalls, keeping the best epoch (docs/CLUSTERING.md, "Deep variant").
/// </summary>
public static class DeepClamTraining
{
    /// <summary>The managed encoder, the latent prototypes (k×latent), β and the joint-training losses.</summary>
    public static (Encoder Encoder, float[] Prototypes, double Beta, IReadOnlyList<double> Losses) Train(float[] data, int rows, int dimension, ClusteringOptions options)
    {
        ClamTraining.CheckInput(data, rows, dimension, options);
        var deep = options.Deep ?? throw new ArgumentException("options.Deep must be set for deep ClAM.", nameof(options));
        var k = options.ClusteringCount;

        TorchSharpNative.EnsureLoaded();
        using var threads = TorchThreads.Use(options.Threads, rows, dimension, k);
        var device = ClamTraining.Resolve(options.Device);
        torch.manual_seed(options.Seed);
        var random = new Random(options.Seed);
        using var x = torch.tensor(data, [rows, dimension]).to(device);
        using var network = new DeepClusteringNetwork(dimension, deep.HiddenSize, deep.LatentSize);
        network.to(device);
        var order = Enumerable.Range(0, rows).Select(i => (long)i).ToArray();
        using var graph = deep.NeighbourWeight > 0 ? NeighbourGraph.Nearest(x, Math.Min(deep.NeighbourCount, rows - 1)) : null;
        var pass = new Pass(network, x, graph, deep.NeighbourWeight, order, options.BatchSize, random, device);

        using (var pretrain = new AdamOptimizer(network.parameters(), deep.LearningRate))
        {
            for (var epoch = 1; epoch <= deep.PretrainEpochs; epoch++)
            {
                var loss = pass.Run([pretrain]);
                options.Progress?.Report(new ClusteringEpoch(epoch, loss, deep.LearningRate, Pretraining: true));
            }
        }

        var seeding = options with { Deep = null, Initialization = options.Initialization == PrototypeInitialization.Gaussian ? PrototypeInitialization.KMeans : options.Initialization };
        float[] latent, prototypes;
        using (torch.no_grad())
        using (var z = network.Encode(x))
        {
            latent = z.cpu().data<float>().ToArray();
            prototypes = ClamTraining.InitialPrototypes(latent, z, seeding, random);
        }
        var beta = options.Beta ?? ClamTraining.AutomaticBeta(latent, rows, deep.LatentSize);
        network.AttachContraction(new ContractionLayer(torch.tensor(prototypes, [k, deep.LatentSize]).to(device), beta, options.StepSize, options.Steps));

        // Encoder and decoder keep their small learning rate; the prototypes move at the main one.
        var contractionParameters = network.Contraction!.parameters().ToHashSet();
        using var networkOptimizer = new AdamOptimizer(network.parameters().Where(p => !contractionParameters.Contains(p)), deep.LearningRate);
        using var prototypeOptimizer = new AdamOptimizer(contractionParameters, options.LearningRate);
        AdamOptimizer[] joint = [networkOptimizer, prototypeOptimizer];
        var losses = new List<double>();
        var stopping = new EarlyStopping(options.Tolerance);
        var best = (Encoder: Snapshot(network, dimension, deep), Prototypes: prototypes);
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var loss = pass.Run(joint);
            losses.Add(loss);
            options.Progress?.Report(new ClusteringEpoch(epoch, loss, prototypeOptimizer.LearningRate, Assignments: NearestPrototypes(network, x)));
            if (stopping.Record(loss))
                best = (Snapshot(network, dimension, deep), network.Contraction!.Prototypes.detach().cpu().data<float>().ToArray());
            if (stopping.ShouldStop)
                break;
        }
        return (best.Encoder, best.Prototypes, beta, losses);
    }

    // One epoch over every row in shuffled batches: mean squared reconstruction error, plus the neighbour embedding of
    // each row's code with the code of one of its graph neighbours drawn at random. Returns the epoch's mean loss.
    private sealed class Pass(DeepClusteringNetwork network, Tensor x, Tensor? graph, double neighbourWeight, long[] order, int batchSize, Random random, Device device)
    {
        public double Run(AdamOptimizer[] optimizers)
        {
            random.Shuffle(order);
            var total = 0.0;
            for (var start = 0; start < order.Length; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var rows = order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
                var batch = x.index_select(0, torch.tensor(rows, device: device));
                var codes = network.Encode(batch);
                var error = batch.add(network.Decode(network.Contract(codes)), TorchScalars.MinusOne);
                var loss = error.mul(error).mean();
                if (graph is not null)
                {
                    using var weight = neighbourWeight.ToScalar();
                    loss = loss.add(NeighbourEmbeddingLoss.Compute(codes, network.Encode(x.index_select(0, Neighbours(rows)))), weight);
                }
                foreach (var optimizer in optimizers)
                    optimizer.ZeroGrad();
                loss.backward();
                foreach (var optimizer in optimizers)
                    optimizer.Step();
                total += loss.item<float>() * rows.Length;
            }
            return total / order.Length;
        }

        // One neighbour of each row, drawn uniformly from its row of the graph.
        private Tensor Neighbours(long[] rows)
        {
            var count = (int)graph!.shape[1];
            var flat = rows.Select(row => row * count + random.Next(count)).ToArray();
            return graph.flatten().index_select(0, torch.tensor(flat, device: device));
        }
    }

    // Each row's nearest prototype in the latent space: argmin_c ‖c‖² − 2·z·c.
    private static int[] NearestPrototypes(DeepClusteringNetwork network, Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var prototypes = network.Contraction!.Prototypes;
        var scores = network.Encode(x).matmul(prototypes.t()).mul(TorchScalars.MinusTwo).add(prototypes.mul(prototypes).sum(1));
        return scores.argmin(1).to_type(ScalarType.Int32).cpu().data<int>().ToArray();
    }

    private static Encoder Snapshot(DeepClusteringNetwork network, int dimension, DeepClusteringOptions deep)
    {
        var (w1, b1, w2, b2) = network.EncoderWeights();
        return new Encoder(dimension, deep.HiddenSize, deep.LatentSize, w1, b1, w2, b2);
    }
}
