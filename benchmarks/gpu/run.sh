#!/usr/bin/env bash
# Runs on the lent GPU machine (carry [".gpu"], packed by benchmarks/gpu/pack.sh): the CUDA tests, `bench --device cuda`
# and the fig1 preset on each GPU backend, with cached and on-demand Ω, against fig1 written directly in JAX. Everything it prints is also kept under $OUT.
# Arguments name the steps to run (tests-backends tests-clam cluster-cpu fig1-torch-cached fig1-ilgpu-cached fig1-ilgpu-on-demand fig1-jax torch-products bench); none runs all.
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
tests() { env DOTNET_ROLL_FORWARD=Major dotnet /tmp/gpu/tests/xunit-runner/xunit.console.dll /tmp/gpu/tests/DrDam.ML.Tests.dll -parallel none -verbose "$@"; }
fig1() { cli inpaint --preset fig1 --json --roofline --device cuda --out "/tmp/gpu/fig1-$1-$2" --backend "$1" --omega "$2"; }
export -f cli tests fig1
wanted() { [ -z "$only" ] || [[ " $only " == *" $1 "* ]]; }
only="$*" # the names of the steps to run; all when none is named
wanted tests-backends && step tests-backends 120 tests -class DrDam.ML.Tests.Compute.CudaBackendTests -class DrDam.ML.Tests.Compute.BackendDeviceTests
# A crash leaves .NET's crash report (the native and managed stacks) at the end of the step's log.
clam() { DOTNET_DbgEnableMiniDump=1 DOTNET_DbgMiniDumpType=1 DOTNET_EnableCrashReport=1 DOTNET_DbgMiniDumpName=/tmp/gpu/clam.dmp \
  tests -method DrDam.ML.Tests.Clustering.AssociativeMemoryClusteringTests.CudaTrainingMatchesCpuOrSkips; local code=$?
  cat /tmp/gpu/clam.dmp.crashreport.json 2>/dev/null; return $code; }
export -f clam
wanted tests-clam && step tests-clam 90 clam
wanted cluster-cpu && step cluster-cpu 60 cli cluster --dataset iris --json --out /tmp/gpu/cluster
wanted fig1-torch-cached && step fig1-torch-cached 75 fig1 torch cached
wanted fig1-ilgpu-cached && step fig1-ilgpu-cached 75 fig1 ilgpu cached
wanted fig1-ilgpu-on-demand && step fig1-ilgpu-on-demand 75 fig1 ilgpu on-demand
wanted fig1-jax && step fig1-jax 55 env PYTHONUNBUFFERED=1 XLA_PYTHON_CLIENT_PREALLOCATE=false python3 benchmarks/gpu/fig1_jax.py
wanted torch-products && step torch-products 60 env PYTHONUNBUFFERED=1 python3 benchmarks/gpu/torch_products.py
wanted bench && step bench 300 cli bench --device cuda --quick --json
