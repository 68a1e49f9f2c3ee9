"""Is forward-mode differentiation a faster way to a PINN's loss gradient? Burgers' residual
u_t + u u_x - (0.01/pi) u_xx on N collocation points through Raissi's 2 -> 8 x 20 tanh -> 1 network,
written two ways in PyTorch:
  reverse: u_x, u_t and u_xx by autograd.grad(create_graph=True) (double backward), as PINN code
           usually does and as bench/peers/burgers_torch.py and HpcLearn's PdeFields do;
  forward: u, u_x, u_t, u_xx carried through the layers together (one stacked product per layer,
           tanh's derivatives by the chain rule), then one ordinary backward pass.
Both give the same loss and gradient (checked first); the timing is loss + gradient with respect to
the parameters, best of 3 blocks of REPS, the two ways alternating.
usage: python3 pinn_forward_mode.py [float32|float64] [N] [THREADS] [REPS]"""
import sys, time
import torch

dtype = torch.float64 if (sys.argv[1] if len(sys.argv) > 1 else "float32") == "float64" else torch.float32
N = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
REPS = int(sys.argv[4]) if len(sys.argv) > 4 else 30
torch.set_flush_denormal(True)
torch.manual_seed(0)
sizes = [2] + [20] * 8 + [1]
Ws = [torch.nn.init.xavier_normal_(torch.empty(sizes[i + 1], sizes[i], dtype=dtype)).requires_grad_() for i in range(len(sizes) - 1)]
bs = [(0.1 * torch.randn(sizes[i + 1], dtype=dtype)).requires_grad_() for i in range(len(sizes) - 1)]
params = Ws + bs
X = torch.rand(N, 2, dtype=dtype) * torch.tensor([2.0, 1.0], dtype=dtype) - torch.tensor([1.0, 0.0], dtype=dtype)
scale = torch.tensor([1.0, 2.0], dtype=dtype)   # (x, t) from [-1, 1] x [0, 1] to [-1, 1]^2
shift = torch.tensor([0.0, -1.0], dtype=dtype)
nu = 0.01 / 3.141592653589793
F = torch.nn.functional


def reverse():
    x = X.clone().requires_grad_()
    h = x * scale + shift
    for W, b in zip(Ws[:-1], bs[:-1]):
        h = torch.tanh(F.linear(h, W, b))
    u = F.linear(h, Ws[-1], bs[-1])
    g = torch.autograd.grad(u, x, torch.ones_like(u), create_graph=True)[0]
    ux, ut = g[:, 0:1], g[:, 1:2]
    uxx = torch.autograd.grad(ux, x, torch.ones_like(ux), create_graph=True)[0][:, 0:1]
    f = ut + u * ux - nu * uxx
    return (f * f).mean()


def forward():
    W = Ws[0]
    z = F.linear(X * scale + shift, W, bs[0])
    zx, zt = (W[:, 0] * scale[0]).unsqueeze(0), (W[:, 1] * scale[1]).unsqueeze(0)
    a = torch.tanh(z); a1 = 1 - a * a; a2 = -2 * a * a1
    h, hx, ht, hxx = a, a1 * zx, a1 * zt, a2 * zx * zx
    for W, b in zip(Ws[1:], bs[1:]):
        Z = torch.cat([h, hx, ht, hxx], 0).mm(W.t())
        z, zx, zt, zxx = Z[:N] + b, Z[N:2 * N], Z[2 * N:3 * N], Z[3 * N:]
        if W is Ws[-1]:
            break
        a = torch.tanh(z); a1 = 1 - a * a; a2 = -2 * a * a1
        h, hx, ht, hxx = a, a1 * zx, a1 * zt, a1 * zxx + a2 * zx * zx
    f = zt + z * zx - nu * zxx
    return (f * f).mean()


lr, lf = reverse(), forward()
gr, gf = torch.autograd.grad(lr, params), torch.autograd.grad(lf, params)
print(f"loss reverse {lr.item():.12g} forward {lf.item():.12g}; largest gradient difference {max((p - q).abs().max().item() for p, q in zip(gr, gf)):.2e}")


def block(fn):
    t0 = time.perf_counter()
    for _ in range(REPS):
        torch.autograd.grad(fn(), params)
    return (time.perf_counter() - t0) / REPS * 1000


best = {"reverse": float("inf"), "forward": float("inf")}
for _ in range(3):
    for name, fn in (("reverse", reverse), ("forward", forward)):
        best[name] = min(best[name], block(fn))
print(f"{dtype} N={N} threads={torch.get_num_threads()} ms per loss+gradient: reverse {best['reverse']:.2f} forward {best['forward']:.2f} (forward/reverse {best['forward'] / best['reverse']:.2f})")
