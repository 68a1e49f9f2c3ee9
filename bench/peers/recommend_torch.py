"""The same biased matrix factorisation as HpcLearn's recommend task, in PyTorch, on the same split
(written by the C# side with dense ids): embeddings of 50 + user/item biases, sigmoid range
[0.5, 5.5], per-rating L2 penalty 0.02 on the looked-up rows, AdamW (lr 1e-2, weight decay 0.01)
with the same one-cycle schedule, the same batch size and thread count; the loss read every step.
Prints per-epoch seconds, the median ratings/s over epochs 2.., and the test RMSE (predictions
clipped to [1, 5]; pairs unseen in training get the global mean)."""
import sys, time, math
import torch
torch.set_flush_denormal(True)  # subnormals to zero, as hpclearn does at start (docs/install.md)
from torch import nn

folder, epochs, batch, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(42)

def load(path):
    u, i, r = [], [], []
    with open(path) as f:
        next(f)
        for line in f:
            a, b, c = line.split(",")
            u.append(int(a)); i.append(int(b)); r.append(float(c))
    return torch.tensor(u), torch.tensor(i), torch.tensor(r, dtype=torch.float32)

tu, ti, tr = load(f"{folder}/train.csv")
vu, vi, vr = load(f"{folder}/test.csv")
n_users, n_items = int(tu.max()) + 1, int(ti.max()) + 1

class BiasedMf(nn.Module):
    def __init__(self, factors=50, low=0.5, high=5.5, l2=0.02):
        super().__init__()
        self.user_factors, self.item_factors = nn.Embedding(n_users, factors), nn.Embedding(n_items, factors)
        self.user_bias, self.item_bias = nn.Embedding(n_users, 1), nn.Embedding(n_items, 1)
        for e in (self.user_factors, self.item_factors): nn.init.normal_(e.weight, 0, 0.01)
        for e in (self.user_bias, self.item_bias): nn.init.zeros_(e.weight)
        self.low, self.high, self.l2, self.penalty = low, high, l2, None
    def forward(self, u, i):
        p, q = self.user_factors(u), self.item_factors(i)
        bu, bi = self.user_bias(u).squeeze(1), self.item_bias(i).squeeze(1)
        if self.training:
            self.penalty = self.l2 * ((p * p).sum(1) + (q * q).sum(1) + bu * bu + bi * bi).mean()
        return torch.sigmoid((p * q).sum(1) + bu + bi) * (self.high - self.low) + self.low

model = BiasedMf()
steps_per_epoch = math.ceil(len(tr) / batch)
opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.01)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=epochs * steps_per_epoch, pct_start=0.25,
                                            div_factor=25, final_div_factor=1e4, anneal_strategy="cos", cycle_momentum=False)
times = []
for epoch in range(epochs):
    t0 = time.perf_counter()
    model.train()
    perm = torch.randperm(len(tr))
    for s in range(0, len(tr), batch):
        idx = perm[s:s + batch]
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(tu[idx], ti[idx]), tr[idx]) + model.penalty
        loss.backward()
        opt.step()
        sched.step()
        loss.item()
    times.append(time.perf_counter() - t0)

model.eval()
with torch.no_grad():
    warm = (vu >= 0) & (vi >= 0)
    pred = torch.full_like(vr, float(tr.mean()))
    pred[warm] = model(vu[warm], vi[warm]).clamp(1, 5)
    rmse = float(((pred - vr) ** 2).mean().sqrt())
rates = sorted(len(tr) / t for t in times[1:])
print(f"torch={torch.__version__} epoch_s={','.join(f'{t:.3f}' for t in times)}")
print(f"ratings_per_s={rates[len(rates) // 2]:.0f}")
print(f"rmse={rmse:.4f}")
