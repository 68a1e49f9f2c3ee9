"""PyTorch peer of `HpcLearn.Bench burgers`: the same Burgers PINN on the same training points.

usage: burgers_torch.py DIR ADAM_ITERS LBFGS_ITERS float32|float64 THREADS
Reads DIR/xu.csv (x, t, u) and DIR/xf.csv (x, t) written by the C# bench. Network 2 -> 8 x 20 -> 1
tanh, inputs scaled to [-1, 1], Glorot-normal weights, zero biases (seed 1234); Adam lr 1e-3 for
ADAM_ITERS full-batch steps, then torch.optim.LBFGS(lr=1, max_iter=LBFGS_ITERS, history_size=50,
tolerance_grad=1e-7, tolerance_change=1e-9, line_search_fn="strong_wolfe"), as in the C# bench.
Relative L2 error on the 256 x 100 grid against Hopf-Cole (trapezoid, 4001 points, z in [-12, 12]).
With HARD=1 in the environment the conditions are built into the output, u = -sin(pi x) + t(1 - x^2) N,
as the C# bench does then. Prints key=value lines like the C# bench.
"""
import os
import sys
import time

import numpy as np
import torch
torch.set_flush_denormal(True)  # subnormals to zero, as hpclearn does at start (docs/install.md)

d, adam_iters, lbfgs_iters, dt, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
torch.set_num_threads(threads)
dtype = torch.float64 if dt == "float64" else torch.float32
nu = 0.01 / np.pi
xu = torch.tensor(np.loadtxt(f"{d}/xu.csv", delimiter=","), dtype=dtype)
xf = torch.tensor(np.loadtxt(f"{d}/xf.csv", delimiter=","), dtype=dtype)
Xu, U = xu[:, :2], xu[:, 2:3]
torch.manual_seed(1234)
layers = [2] + [20] * 8 + [1]
lins = []
for a, b in zip(layers[:-1], layers[1:]):
    lin = torch.nn.Linear(a, b).to(dtype)
    torch.nn.init.xavier_normal_(lin.weight)
    torch.nn.init.zeros_(lin.bias)
    lins.append(lin)
net = torch.nn.ModuleList(lins)
lb, ub = torch.tensor([-1.0, 0.0], dtype=dtype), torch.tensor([1.0, 1.0], dtype=dtype)


hard = os.environ.get("HARD") == "1"


def u_net(X):
    h = 2 * (X - lb) / (ub - lb) - 1
    for lin in net[:-1]:
        h = torch.tanh(lin(h))
    n = net[-1](h)
    if not hard:
        return n
    x, t = X[:, 0:1], X[:, 1:2]
    return -torch.sin(np.pi * x) + t * (1 - x * x) * n


def loss_fn():
    x = xf.clone().requires_grad_(True)
    u = u_net(x)
    du = torch.autograd.grad(u, x, torch.ones_like(u), create_graph=True)[0]
    ux, ut = du[:, 0:1], du[:, 1:2]
    uxx = torch.autograd.grad(ux, x, torch.ones_like(ux), create_graph=True)[0][:, 0:1]
    f = ut + u * ux - nu * uxx
    e = u_net(Xu) - U
    return (e ** 2).mean() + (f ** 2).mean()


def exact_grid():
    xs, ts = np.linspace(-1, 1, 256), np.arange(100) / 100.0
    z = np.linspace(-12, 12, 4001)
    w = np.full(z.size, z[1] - z[0]); w[0] = w[-1] = w[0] / 2
    out = np.empty((256, 100))
    for j, t in enumerate(ts):
        if t == 0:
            out[:, j] = -np.sin(np.pi * xs); continue
        s = np.sqrt(4 * nu * t)
        y = xs[:, None] - s * z[None, :]
        e = -np.cos(np.pi * y) / (2 * np.pi * nu) - z[None, :] ** 2
        e = np.exp(e - e.max(axis=1, keepdims=True))
        out[:, j] = -(w * np.sin(np.pi * y) * e).sum(1) / (w * e).sum(1)
    return xs, ts, out


xs, ts, ex = exact_grid()
grid = torch.tensor(np.stack(np.meshgrid(xs, ts, indexing="ij"), -1).reshape(-1, 2), dtype=dtype)


def rel_l2():
    with torch.no_grad():
        p = u_net(grid).double().numpy().reshape(256, 100)
    return np.linalg.norm(p - ex) / np.linalg.norm(ex)


initial = loss_fn().item()
t0 = time.perf_counter()
adam = torch.optim.Adam(net.parameters(), lr=1e-3)
for _ in range(adam_iters):
    adam.zero_grad()
    loss = loss_fn()
    loss.backward()
    adam.step()
adam_s = time.perf_counter() - t0
adam_loss = loss_fn().item()
lbfgs = torch.optim.LBFGS(net.parameters(), lr=1, max_iter=lbfgs_iters, max_eval=lbfgs_iters * 5 // 4, history_size=50,
                          tolerance_grad=1e-7, tolerance_change=1e-9, line_search_fn="strong_wolfe")


def closure():
    lbfgs.zero_grad()
    loss = loss_fn()
    loss.backward()
    return loss.detach()


t0 = time.perf_counter()
lbfgs.step(closure)
lbfgs_s = time.perf_counter() - t0
st = lbfgs.state[lbfgs._params[0]]
iters, evals = st["n_iter"], st["func_evals"]
final = loss_fn().item()
print(f"torch={torch.__version__} dtype={dt} threads={threads}")
print(f"initial_loss={initial:.3e} adam_loss={adam_loss:.3e} final_loss={final:.3e} relative_l2_error={rel_l2():.3e}")
print(f"adam_s={adam_s:.1f} adam_it_per_s={adam_iters / adam_s:.1f} lbfgs_s={lbfgs_s:.1f} lbfgs_iters={iters} lbfgs_evals={evals} lbfgs_it_per_s={iters / lbfgs_s:.2f}")
