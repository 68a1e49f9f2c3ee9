"""The bare PyTorch loop a user would write for the same tabular MLP as the Learner benchmark:
embeddings for the categorical columns + numeric features -> 200-100 MLP, AdamW, batch B.
Prints the median epoch time in ms over 7 epochs after one warm-up. A 6th argument "foreach"
uses PyTorch's multi-tensor AdamW (foreach=True: one call per operation for all parameters, the
peer's fastest optimiser here; PyTorch 1.13 defaults to one call per parameter)."""
import sys, time
import torch
torch.set_flush_denormal(True)  # subnormals to zero, as hpclearn does at start (docs/install.md)
from torch import nn

rows, batch, width, embs, threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
foreach = len(sys.argv) > 6 and sys.argv[6] == "foreach"
torch.set_num_threads(threads)
torch.manual_seed(1)
sizes = [tuple(int(v) for v in e.split("x")) for e in embs.split(",")]  # categories x width

class Tabular(nn.Module):
    def __init__(self):
        super().__init__()
        self.embeddings = nn.ModuleList(nn.Embedding(n, d) for n, d in sizes)
        d = width + sum(d for _, d in sizes)
        self.mlp = nn.Sequential(nn.Linear(d, 200), nn.ReLU(), nn.Dropout(0.1), nn.Linear(200, 100), nn.ReLU(), nn.Dropout(0.1), nn.Linear(100, 2))
    def forward(self, x, c):
        return self.mlp(torch.cat([x] + [e(c[:, j]) for j, e in enumerate(self.embeddings)], 1))

x = torch.randn(rows, width)
c = torch.stack([torch.randint(0, n, (rows,)) for n, _ in sizes], 1)
y = torch.randint(0, 2, (rows,))
model = Tabular()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01, foreach=foreach)
times = []
for epoch in range(8):
    t0 = time.perf_counter()
    model.train()
    perm = torch.randperm(rows)
    for s in range(0, rows, batch):
        idx = perm[s:s + batch]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x[idx], c[idx]), y[idx])
        loss.backward()
        opt.step()
        loss.item()
    if epoch > 0:
        times.append(time.perf_counter() - t0)
times.sort()
print(f"{times[len(times) // 2] * 1000:.1f}")
