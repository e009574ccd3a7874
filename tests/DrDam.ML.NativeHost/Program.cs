using DrDam.ML.Native;
using TorchSharp;

// Prints "<outcome> <values of torch.ones(2) + 1>" from a clean process, e.g. "Patched 2,2".
var outcome = TorchSharpNative.EnsureLoaded();
using var ones = torch.ones(2);
using var sum = ones + 1;
Console.WriteLine($"{outcome} {string.Join(",", sum.data<float>().ToArray())}");
return 0;
