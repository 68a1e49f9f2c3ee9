"""The same small CNN as HpcLearn's (conv3x3-BN-ReLU-maxpool x [32, 64], adaptive avg-pool 7x7,
Linear 128, ReLU, dropout 0.25, Linear 10), AdamW lr 1e-3, on the same Fashion-MNIST images in
memory, with the same per-batch augmentation (random crop after 2-pixel zero padding and
horizontal flip) and normalisation, written as a plain PyTorch loop.
Usage: cnn_torch.py ROOT IMAGES BATCH EPOCHS THREADS [noaug] [cl]. Prints images_per_s (median epoch).
cl: the model and each batch in torch.channels_last, PyTorch's opt-in layout (what HpcLearn does by
default on the CPU); without it the plain loop a PyTorch user writes (NCHW)."""
import gzip, sys, time
import numpy as np
import torch
torch.set_flush_denormal(True)  # subnormals to zero, as hpclearn does at start (docs/install.md)
from torch import nn

root, n, batch, epochs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
augment = "noaug" not in sys.argv[6:]
channels_last = "cl" in sys.argv[6:]
torch.set_num_threads(threads)
torch.manual_seed(1)
with gzip.open(f"{root}/train-images-idx3-ubyte.gz") as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)[:n].copy()
with gzip.open(f"{root}/train-labels-idx1-ubyte.gz") as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8)[:n].astype(np.int64)
x_all, y_all = torch.from_numpy(images), torch.from_numpy(labels)
mean, std = (x_all.float() / 255).mean().item(), (x_all.float() / 255).std(unbiased=False).item()

def block(i, o):
    return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2)]
model = nn.Sequential(*block(1, 32), *block(32, 64), nn.AdaptiveAvgPool2d((7, 7)), nn.Flatten(),
                      nn.Linear(64 * 49, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10))
if channels_last:
    model = model.to(memory_format=torch.channels_last)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
rng = np.random.default_rng(1)

def prepare(xb):
    if augment:
        padded = nn.functional.pad(xb, (2, 2, 2, 2))
        offsets = rng.integers(0, 5, size=(len(xb), 2))
        xb = torch.stack([padded[i, :, oy:oy + 28, ox:ox + 28] for i, (oy, ox) in enumerate(offsets)])
        flip = torch.from_numpy(rng.integers(0, 2, size=len(xb)).astype(bool))
        xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
    xb = (xb.float() / 255 - mean) / std
    return xb.contiguous(memory_format=torch.channels_last) if channels_last else xb

times = []
for epoch in range(epochs + 1):
    t0 = time.perf_counter()
    model.train()
    order = torch.randperm(n)
    for s in range(0, n, batch):
        idx = order[s:s + batch]
        xb, yb = prepare(x_all[idx]), y_all[idx]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        loss.item()
    if epoch > 0:
        times.append(time.perf_counter() - t0)
times.sort()
print(f"images_per_s={n / times[len(times) // 2]:.1f}")
