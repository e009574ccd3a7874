#!/usr/bin/env bash
# Runs on the lent GPU machine (carry [".gpu"], packed by benchmarks/gpu/pack.sh): the CUDA tests, `bench --device cuda`
# and the fig1 preset on each GPU backend, with cached and on-demand Ω, against fig1 written directly in JAX. Everything it prints is also kept under $OUT.
set -uo pipefail
out=${OUT:-/tmp/gpu-out}; mkdir -p "$out" /tmp/dn /tmp/gpu
tar -C /tmp/dn -xJf .gpu/dotnet-rt.tar.xz && tar -C /tmp/gpu -xJf .gpu/app.tar.xz
torchlib=$(python3 -c "import torch,os;print(os.path.dirname(torch.__file__))")/lib
export DOTNET_ROOT=/tmp/dn PATH=/tmp/dn:$PATH LD_LIBRARY_PATH=$torchlib:/usr/local/nvidia/lib64:${LD_LIBRARY_PATH:-} DOTNET_CLI_TELEMETRY_OPTOUT=1
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv | tee "$out/gpu.txt"
lscpu | grep -E 'Model name|^CPU\(s\)' | tee -a "$out/gpu.txt"
step() { # name, seconds, command...
  local name=$1 limit=$2; shift 2
  echo "== $name"; local start=$SECONDS
  timeout "$limit" bash -c '"$@"' _ "$@" >"$out/$name.log" 2>&1; local code=$?
  echo "   exit $code after $((SECONDS - start)) s"; tail -n 3 "$out/$name.log"
}
cli() { dotnet /tmp/gpu/app/DrDam.ML.Samples.dll "$@"; }
step tests 240 env DOTNET_ROLL_FORWARD=Major dotnet /tmp/gpu/tests/xunit-runner/xunit.console.dll /tmp/gpu/tests/DrDam.ML.Tests.dll \
  -class DrDam.ML.Tests.Compute.CudaBackendTests -class DrDam.ML.Tests.Compute.IlgpuBackendTests -class DrDam.ML.Tests.Compute.BackendDeviceTests \
  -method DrDam.ML.Tests.Clustering.AssociativeMemoryClusteringTests.CudaTrainingMatchesCpuOrSkips -verbose
fig1() { cli inpaint --preset fig1 --json --roofline --device cuda --out "/tmp/gpu/fig1-$1-$2" --backend "$1" --omega "$2"; }
export -f cli fig1
step fig1-torch-cached 300 fig1 torch cached
step fig1-ilgpu-cached 300 fig1 ilgpu cached
step fig1-ilgpu-on-demand 300 fig1 ilgpu on-demand
step fig1-jax 120 env XLA_PYTHON_CLIENT_PREALLOCATE=false python3 benchmarks/gpu/fig1_jax.py
step bench 300 cli bench --device cuda --quick --json
