"""fig1's two products through PyTorch's CUDA matmul (the libtorch TorchSharp binds to on the lent machine), written the
ways a Torch backend can write them, each timed with CUDA events against the time to read Omega once (Omega.sum()).
Forward S = Z Omega^T (4 x 180,000), backward G = U Omega (4 x 12,288): one mm each, or the backward split along
Omega's rows into S slices (bmm, then a sum over the slices)."""
import torch

D, Y, B = 64 * 64 * 3, 180_000, 4
omega = torch.randn(Y, D, device="cuda")
z, u = torch.randn(B, D, device="cuda"), torch.randn(B, Y, device="cuda")


def seconds(f, reps=5):
    f(); f(); torch.cuda.synchronize()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(reps):
        f()
    stop.record(); torch.cuda.synchronize()
    return start.elapsed_time(stop) / reps / 1e3


read = seconds(lambda: omega.sum())
print(f"read Omega once (sum): {read * 1e3:.2f} ms = {omega.numel() * 4 / read / 1e9:.0f} GB/s")
cases = {
    "forward z @ omega.T": lambda: z @ omega.T,
    "forward (omega @ z.T).T": lambda: (omega @ z.T).T,
    "backward u @ omega": lambda: u @ omega,
    "backward (omega.T @ u.T).T": lambda: (omega.T @ u.T).T,
}
for s in (20, 60, 180, 450):
    cases[f"backward split {s}: bmm + sum"] = lambda s=s: torch.bmm(u.view(B, s, Y // s).transpose(0, 1), omega.view(s, Y // s, D)).sum(0)
reference = u @ omega
for name, f in cases.items():
    t = seconds(f)
    error = "" if not name.startswith("backward") else f", max |diff| vs u @ omega {float((f() - reference).abs().max()):.2e}"
    print(f"{name}: {t * 1e3:.2f} ms = {read / t:.2f} of one read{error}")
