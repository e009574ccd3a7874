using Mono.Cecil;

// Usage: DrDam.ML.Publicizer <input.dll> <output.dll>
//
// Writes a copy of an ML.NET assembly in which every type and member of the Microsoft.ML
// namespaces is public. DrDam.ML compiles against these copies and declares
// [IgnoresAccessChecksTo] for them, which is the only way for a third-party transformer to take part
// in mlContext.Model.Save/Load (docs/MLNET.md). At run time the real, signed assemblies load.
// Types outside Microsoft.ML (polyfills in System.*) are left alone so they cannot clash with ours.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: DrDam.ML.Publicizer <input.dll> <output.dll>");
    return 2;
}
var (input, output) = (args[0], args[1]);
var resolver = new DefaultAssemblyResolver();
resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(input))!);
using (var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { AssemblyResolver = resolver }))
{
    foreach (var type in assembly.MainModule.Types)
    {
        if (type.Namespace.StartsWith("Microsoft.ML", StringComparison.Ordinal))
            Publicize(type);
    }
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    var temporary = output + ".tmp";
    assembly.Write(temporary);
    File.Move(temporary, output, overwrite: true);
}
return 0;

static void Publicize(TypeDefinition type)
{
    if (type.IsNested)
        type.IsNestedPublic = true;
    else
        type.IsPublic = true;
    foreach (var method in type.Methods)
        method.IsPublic = true;
    foreach (var field in type.Fields)
        field.IsPublic = true;
    foreach (var nested in type.NestedTypes)
        Publicize(nested);
}
