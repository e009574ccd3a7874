using DrDam.ML.Transforms;
using DrDam.ML.Transforms.Plumbing;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(OcclusionTransformer), null, typeof(SignatureLoadModel),
    "DrDam occlusion", OcclusionTransformer.LoaderSignature)]

namespace DrDam.ML.Transforms;

/// <summary>
/// Evaluation transform: hides part of a float vector (bottom rows, random pixels or a rectangle) and
/// adds the occluded vector and a Boolean mask column (true = visible), ready for masked retrieval.
/// </summary>
public sealed class OcclusionTransformer : RowBatchTransformer
{
    internal const string LoaderSignature = "DrDamOcclusion";
    private const string ModelSignature = "DRDAMOCC";

    internal OcclusionTransformer(string inputColumn, string outputColumn, string maskColumn, OcclusionOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(maskColumn);
        ArgumentNullException.ThrowIfNull(options);
        (InputColumn, OutputColumn, MaskColumn, Options) = (inputColumn, outputColumn, maskColumn, options);
    }

    /// <summary>The vector column read.</summary>
    public string InputColumn { get; }

    /// <summary>The occluded vector written.</summary>
    public string OutputColumn { get; }

    /// <summary>The visibility mask written (true = visible).</summary>
    public string MaskColumn { get; }

    /// <summary>What is hidden.</summary>
    public OcclusionOptions Options { get; }

    internal SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaCheck.FloatVectorShape(SchemaCheck.FindShape(inputSchema, InputColumn, "Input"), "Input");
        return SchemaCheck.With(inputSchema, [SchemaCheck.Vector(OutputColumn, NumberDataViewType.Single), SchemaCheck.Vector(MaskColumn, BooleanDataViewType.Instance)]);
    }

    private protected override BatchMapping Mapping(DataViewSchema inputSchema) => new OcclusionMapping(inputSchema, InputColumn, OutputColumn, MaskColumn, Options);

    private protected override void Save(ModelSaveContext ctx)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(ModelFormat.Version(ModelSignature, LoaderSignature));
        ModelEntries.SaveSettings(ctx, w =>
        {
            w.Write(InputColumn);
            w.Write(OutputColumn);
            w.Write(MaskColumn);
            w.Write((int)Options.Kind);
            w.Write(Options.Fraction);
            w.Write(Options.Height);
            w.Write(Options.Width);
            w.Write(Options.Channels);
            w.Write(Options.Interleaved);
            w.Write(Options.Rectangle.X);
            w.Write(Options.Rectangle.Y);
            w.Write(Options.Rectangle.Width);
            w.Write(Options.Rectangle.Height);
            w.Write(Options.FillValue);
            w.Write(Options.Seed);
        });
    }

    private static OcclusionTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ModelEntries.CheckVersion(ctx, ModelFormat.Version(ModelSignature, LoaderSignature));
        return ModelEntries.LoadSettings(ctx, r => new OcclusionTransformer(ModelEntries.Column(r), ModelEntries.Column(r), ModelEntries.Column(r), new OcclusionOptions
        {
            Kind = (OcclusionKind)r.ReadInt32(),
            Fraction = r.ReadDouble(),
            Height = r.ReadInt32(),
            Width = r.ReadInt32(),
            Channels = r.ReadInt32(),
            Interleaved = r.ReadBoolean(),
            Rectangle = (r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32()),
            FillValue = r.ReadSingle(),
            Seed = r.ReadUInt64(),
        }));
    }
}
