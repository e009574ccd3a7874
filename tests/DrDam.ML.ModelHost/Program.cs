using Microsoft.ML;

// Usage: DrDam.ML.ModelHost <model.zip> <input.idv> <output.idv>
// Loads the model in this (fresh) process, applies it to the input data view (ML.NET binary format)
// and saves every column of the result, so a test can compare it bit for bit with its own process. The
// names of the assemblies the process loaded go to <output.idv>.assemblies (e.g. to show ClAM predicts without TorchSharp).
// Nothing registers DrDam.ML here: ML.NET must find the loaders from the model file alone.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: DrDam.ML.ModelHost <model.zip> <input.idv> <output.idv>");
    return 2;
}
var ml = new MLContext(seed: 1);
var model = ml.Model.Load(args[0], out _);
var input = ml.Data.LoadFromBinary(args[1]);
var output = model.Transform(input);
using (var stream = File.Create(args[2]))
    ml.Data.SaveAsBinary(output, stream, keepHidden: false);
File.WriteAllLines(args[2] + ".assemblies", AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name!).Order());
return 0;
