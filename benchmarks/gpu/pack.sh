#!/usr/bin/env bash
# Packs what the lent GPU machine needs (it has no .NET) into .gpu/ at the repository root (ignored by git):
# this machine's .NET runtime, the CLI published framework-dependent, the test assembly with its dependencies, and
# xUnit's console runner. The CPU libtorch is left out: there, TorchSharp loads the machine's own CUDA libtorch.
# Then call the device tool with carry [".gpu"] and the command `bash benchmarks/gpu/run.sh` (docs/GPU.md).
set -euo pipefail
top=$(git rev-parse --show-toplevel); cd "$top"
rm -rf .gpu/app .gpu/tests && mkdir -p .gpu
strip_natives() { # keep linux-x64 only, and no CPU libtorch (about 500 MB)
  find "$1/runtimes" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} + 2>/dev/null || true
  find "$1" \( -name 'libtorch*.so' -o -name 'libc10*.so' -o -name 'libgomp*.so*' -o -name 'lib*_test.so' -o -name '*.dbg' \
    -o -name 'libbackend_with_compiler.so' -o -name 'libaoti_custom_ops.so' -o -name 'libnnapi_backend.so' -o -name 'libshm*.so' \) -delete
}
dotnet publish src/DrDam.ML.Samples/DrDam.ML.Samples.csproj -c Release -r linux-x64 --self-contained false -o .gpu/app -v q >/dev/null
dotnet build tests/DrDam.ML.Tests/DrDam.ML.Tests.csproj -c Release -v q >/dev/null
cp -r tests/DrDam.ML.Tests/bin/Release/net10.0 .gpu/tests
strip_natives .gpu/app
strip_natives .gpu/tests
cp .gpu/tests/runtimes/linux-x64/native/libLibTorchSharp.so .gpu/tests/ # beside the test assembly, where the runner's process looks
runner=~/.nuget/packages/xunit.runner.console/2.4.1/tools/netcoreapp2.0
if [ ! -d "$runner" ]; then # bring the runner package into the NuGet cache through a throwaway project
  scratch=$(mktemp -d)
  printf '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup><ItemGroup><PackageReference Include="xunit.runner.console" Version="2.4.1" /></ItemGroup></Project>' >"$scratch/runner.csproj"
  dotnet restore "$scratch/runner.csproj" -v q >/dev/null && rm -rf "$scratch"
fi
cp -r "$runner" .gpu/tests/xunit-runner
tar -C .gpu -cJf .gpu/app.tar.xz app tests && rm -rf .gpu/app .gpu/tests
if [ ! -f .gpu/dotnet-rt.tar.xz ]; then
  root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  tar -C "$root" -cJf .gpu/dotnet-rt.tar.xz dotnet host shared/Microsoft.NETCore.App
fi
du -sh .gpu/*.tar.xz
