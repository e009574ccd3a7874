using DrDam.ML.Compute.Torch;
using DrDam.ML.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Clustering;

/// <summary>
/// Trains deep ClAM: pretrain the autoencoder on reconstruction, seed the prototypes by k-means in its
/// latent space, then train encoder, prototypes and decoder jointly on ‖x − d(f_ρ(e(x)))‖², keeping the
/// best epoch (docs/CLUSTERING.md, "Deep variant").
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

        using (var pretrain = new AdamOptimizer(network.parameters(), deep.LearningRate))
        {
            for (var epoch = 0; epoch < deep.PretrainEpochs; epoch++)
                Epoch(network, [pretrain], x, order, options.BatchSize, random, device);
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
        var best = (Loss: double.PositiveInfinity, Encoder: Snapshot(network, dimension, deep), Prototypes: prototypes);
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var loss = Epoch(network, joint, x, order, options.BatchSize, random, device);
            losses.Add(loss);
            options.Progress?.Report(new ClusteringEpoch(epoch, loss, prototypeOptimizer.LearningRate));
            if (loss < best.Loss)
                best = (loss, Snapshot(network, dimension, deep), network.Contraction!.Prototypes.detach().cpu().data<float>().ToArray());
        }
        return (best.Encoder, best.Prototypes, beta, losses);
    }

    // One pass of mean squared reconstruction error, in shuffled batches; returns the epoch's mean loss.
    private static double Epoch(DeepClusteringNetwork network, AdamOptimizer[] optimizers, Tensor x, long[] order, int batchSize, Random random, Device device)
    {
        random.Shuffle(order);
        var total = 0.0;
        for (var start = 0; start < order.Length; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            var count = Math.Min(batchSize, order.Length - start);
            var batch = x.index_select(0, torch.tensor(order.AsSpan(start, count).ToArray(), device: device));
            var error = batch.add(network.forward(batch), TorchScalars.MinusOne);
            var loss = error.mul(error).mean();
            foreach (var optimizer in optimizers)
                optimizer.ZeroGrad();
            loss.backward();
            foreach (var optimizer in optimizers)
                optimizer.Step();
            total += loss.item<float>() * count;
        }
        return total / order.Length;
    }

    private static Encoder Snapshot(DeepClusteringNetwork network, int dimension, DeepClusteringOptions deep)
    {
        var (w1, b1, w2, b2) = network.EncoderWeights();
        return new Encoder(dimension, deep.HiddenSize, deep.LatentSize, w1, b1, w2, b2);
    }
}
