using Microsoft.ML;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>An estimator whose transformer needs no data: Fit checks the schema and returns it.</summary>
internal sealed class StatelessEstimator<TTransformer>(TTransformer transformer, Func<SchemaShape, SchemaShape> shape) : IEstimator<TTransformer>
    where TTransformer : class, ITransformer
{
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => shape(inputSchema ?? throw new ArgumentNullException(nameof(inputSchema)));
}
