using System.Runtime.CompilerServices;

// The runtime honours this attribute by name: DrDam.ML may call ML.NET's internal persistence API
// (ModelSaveContext, ModelLoadContext, VersionInfo, LoadableClass, SchemaShape.Column), which it
// compiles against through publicized reference copies (see DrDam.ML.csproj).
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Data")]

namespace System.Runtime.CompilerServices
{
    /// <summary>Lets this assembly use the non-public members of the named assembly.</summary>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
    internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
    {
        /// <summary>The assembly whose access checks are skipped.</summary>
        public string AssemblyName { get; } = assemblyName;
    }
}
