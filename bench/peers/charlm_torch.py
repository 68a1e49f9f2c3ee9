"""PyTorch peer of `HpcLearn.Bench charlm`: the same character transformer, trained the same way.

usage: charlm_torch.py TEXT THREADS BATCH WARMUP STEPS SAMPLE_TOKENS
Model as nanoGPT's (and the text task's): token + position embeddings, 4 pre-norm blocks of
causal self-attention (4 heads) and a 4x GELU MLP, embedding 128, block 64, dropout 0, output
tied to the token embedding, GPT-2 initialisation. Characters of the first 90% of the text plus
an unknown token; random blocks. AdamW (lr 1e-3, betas 0.9/0.99, weight decay 0.1 on matrices
only), gradient norm clipped at 1. Debian's PyTorch 1.13 has no fused scaled_dot_product_attention
(it arrived in 2.0), so attention is the masked softmax nanoGPT falls back to on old versions.
After WARMUP untimed steps, STEPS timed steps give training tokens/s; then SAMPLE_TOKENS tokens
are sampled without a cache (each token re-runs the last block, as nanoGPT's generate does).
Prints key=value lines like the C# bench.
"""
import math
import sys
import time

import torch
torch.set_flush_denormal(True)  # subnormals to zero, as hpclearn does at start (docs/install.md)
import torch.nn as nn
import torch.nn.functional as F

path, threads, batch, warmup, steps, sample_tokens = sys.argv[1], *map(int, sys.argv[2:7])
torch.set_num_threads(threads)
torch.manual_seed(42)
L, H, C, T = 4, 4, 128, 64

text = open(path, encoding="utf-8").read()
n_train = len(text) - round(len(text) * 0.1)
chars = sorted(set(text[:n_train]))
stoi = {c: i + 1 for i, c in enumerate(chars)}
V = len(chars) + 1
train = torch.tensor([stoi.get(c, 0) for c in text[:n_train]], dtype=torch.long)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn, self.c_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.register_buffer("mask", torch.tril(torch.ones(T, T)).view(1, 1, T, T) == 0, persistent=False)

    def forward(self, x):
        B, t, _ = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (z.view(B, t, H, C // H).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // H))
        att = att.masked_fill(self.mask[:, :, :t, :t], float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, t, C)
        return self.c_proj(y)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.attn, self.ln_2 = nn.LayerNorm(C), Attention(), nn.LayerNorm(C)
        self.mlp = nn.Sequential(nn.Linear(C, 4 * C), nn.GELU(), nn.Linear(4 * C, C))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        self.h = nn.ModuleList(Block() for _ in range(L))
        self.ln_f = nn.LayerNorm(C)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, 0.0, 0.02)
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)
        for b in self.h:
            for p in (b.attn.c_proj.weight, b.mlp[2].weight):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * L))

    def forward(self, idx):
        t = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(t))
        for b in self.h:
            x = b(x)
        return F.linear(self.ln_f(x), self.wte.weight)


model = GPT()
decay = [p for p in model.parameters() if p.dim() >= 2]
other = [p for p in model.parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}], lr=1e-3, betas=(0.9, 0.99))


def step():
    ix = torch.randint(len(train) - T, (batch,))
    x = torch.stack([train[i:i + T] for i in ix])
    y = torch.stack([train[i + 1:i + 1 + T] for i in ix])
    loss = F.cross_entropy(model(x).view(-1, V), y.view(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()


first = last = 0.0
for _ in range(warmup):
    first = step()
t0 = time.perf_counter()
for _ in range(steps):
    last = step()
sec = time.perf_counter() - t0
params = sum(p.numel() for p in model.parameters())
print(f"params={params} vocab={V} threads={torch.get_num_threads()} batch={batch} steps={steps} step_ms={sec * 1000 / steps:.1f} "
      f"tokens_per_s={steps * batch * T / sec:.0f} loss_after_warmup={first:.4f} loss_last={last:.4f}")

model.eval()
g = torch.Generator().manual_seed(1)
idx = torch.tensor([[stoi.get(c, 0) for c in "The "]])
with torch.no_grad():
    t0 = time.perf_counter()
    for _ in range(sample_tokens):
        logits = model(idx[:, -T:])[:, -1, :] / 0.8
        v, _ = torch.topk(logits, min(40, V))
        logits[logits < v[:, [-1]]] = float("-inf")
        idx = torch.cat([idx, torch.multinomial(logits.softmax(-1), 1, generator=g)], dim=1)
    sec = time.perf_counter() - t0
print(f"sample_tokens={sample_tokens} sample_nocache_tok_s={sample_tokens / sec:.0f}")
