using DrDam.ML.Transforms;
using DrDam.ML.Transforms.Plumbing;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(NoiseTransformer), null, typeof(SignatureLoadModel),
    "DrDam noise", NoiseTransformer.LoaderSignature)]

namespace DrDam.ML.Transforms;

/// <summary>Evaluation transform: adds seeded Gaussian, salt-and-pepper or bit-flip noise to a float vector.</summary>
public sealed class NoiseTransformer : RowBatchTransformer
{
    internal const string LoaderSignature = "DrDamNoise";
    private const string ModelSignature = "DRDAMNOI";

    internal NoiseTransformer(string inputColumn, string outputColumn, NoiseOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumn);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateCombination();
        (InputColumn, OutputColumn, Options) = (inputColumn, outputColumn, options);
    }

    /// <summary>The vector column read.</summary>
    public string InputColumn { get; }

    /// <summary>The noisy vector written.</summary>
    public string OutputColumn { get; }

    /// <summary>The noise.</summary>
    public NoiseOptions Options { get; }

    internal SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaCheck.FloatVectorShape(SchemaCheck.FindShape(inputSchema, InputColumn, "Input"), "Input");
        return SchemaCheck.With(inputSchema, [SchemaCheck.Vector(OutputColumn, NumberDataViewType.Single)]);
    }

    private protected override BatchMapping Mapping(DataViewSchema inputSchema) => new NoiseMapping(inputSchema, InputColumn, OutputColumn, Options);

    private protected override void Save(ModelSaveContext ctx)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(ModelFormat.Version(ModelSignature, LoaderSignature));
        ModelEntries.SaveSettings(ctx, w =>
        {
            w.Write(InputColumn);
            w.Write(OutputColumn);
            w.Write((int)Options.Kind);
            w.Write(Options.Amount);
            w.Write(Options.Low);
            w.Write(Options.High);
            w.Write(Options.Clip);
            w.Write(Options.Seed);
        });
    }

    private static NoiseTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ModelEntries.CheckVersion(ctx, ModelFormat.Version(ModelSignature, LoaderSignature));
        return ModelEntries.LoadSettings(ctx, r => new NoiseTransformer(ModelEntries.Column(r), ModelEntries.Column(r), new NoiseOptions
        {
            Kind = (NoiseKind)r.ReadInt32(),
            Amount = r.ReadDouble(),
            Low = r.ReadSingle(),
            High = r.ReadSingle(),
            Clip = r.ReadBoolean(),
            Seed = r.ReadUInt64(),
        }));
    }
}
