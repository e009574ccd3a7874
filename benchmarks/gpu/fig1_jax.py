"""The fig1 DrDAM retrieval written directly in JAX on the same GPU, as the paper's reference code does it: SinCos
features of sqrt(beta)*x through a held fp32 Omega (Y x D), T summed from the stored patterns, and L plain gradient
steps of E(x) = -log<phi(x), T>/beta under jit. Prints the seconds of the L steps (compiled and warmed first)."""
import time

import jax
import jax.numpy as jnp

D, Y, B, K, L, BETA, ETA = 64 * 64 * 3, 180_000, 4, 4, 300, 60.0, 0.1


def features(x, omega):
    s = (jnp.sqrt(BETA) * x) @ omega.T
    return jnp.concatenate([jnp.cos(s), jnp.sin(s)], -1) / jnp.sqrt(Y)


def energy(x, omega, t):
    return -jnp.log(jnp.maximum(features(x, omega) @ t, 1e-30)) / BETA


@jax.jit
def retrieve(x, omega, t):
    gradient = jax.grad(lambda states: energy(states, omega, t).sum())
    return jax.lax.fori_loop(0, L, lambda _, states: states - ETA * gradient(states), x)


keys = jax.random.split(jax.random.PRNGKey(0), 3)
omega = jax.random.normal(keys[0], (Y, D), jnp.float32)
t = features(jax.random.uniform(keys[1], (K, D)) / jnp.sqrt(D), omega).sum(0)
x = jax.random.uniform(keys[2], (B, D)) / jnp.sqrt(D)
retrieve(x, omega, t).block_until_ready()
start = time.perf_counter()
retrieve(x, omega, t).block_until_ready()
print(f"jax fig1 DrDAM retrieval ({L} steps, B = {B}, Y = {Y}, D = {D}, fp32 Omega held): {time.perf_counter() - start:.3f} s on {jax.devices()[0].device_kind}")
