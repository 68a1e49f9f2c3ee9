"""Peer of `HpcLearn.Bench logmel`: the same log-mel spectrograms with PyTorch's torch.stft.
Periodic Hann window n_fft 512, hop 160, centred with reflect padding, power |X|^2, 64 HTK mel
filters 0-8000 Hz (torchaudio's melscale_fbanks formula, norm=None, written here in NumPy since
Debian has no torchaudio), ln(mel + 1e-6). Same clips, batch and threads as the C# side.
Prints median clips/s and CPU ms per clip (process time, all threads) over REPEATS passes after
one warm-up, and the mean log-mel value."""
import sys, time
import numpy as np
import torch
torch.set_flush_denormal(True)  # subnormals to zero, as hpclearn does at start (docs/install.md)

clips, batch, threads, repeats = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(threads)
sr, n_fft, hop, n_mels, f_min, f_max = 16000, 512, 160, 64, 0.0, 8000.0

def hz_to_mel(f): return 2595.0 * np.log10(1.0 + f / 700.0)
def mel_to_hz(m): return 700.0 * (10.0 ** (m / 2595.0) - 1.0)

freqs = np.linspace(0, sr // 2, n_fft // 2 + 1)
pts = mel_to_hz(np.linspace(hz_to_mel(f_min), hz_to_mel(f_max), n_mels + 2))
slopes = pts[None, :] - freqs[:, None]
down, up = -slopes[:, :-2] / np.diff(pts)[:-1], slopes[:, 2:] / np.diff(pts)[1:]
fb = torch.tensor(np.maximum(0, np.minimum(down, up)).T, dtype=torch.float32)  # (n_mels, n_freqs)
window = torch.hann_window(n_fft, periodic=True)

t = np.arange(sr) / sr
i = np.arange(clips)[:, None]
waves = torch.tensor(0.5 * np.sin(2 * np.pi * (300 + 13 * i) * t) + 0.1 * np.sin(2 * np.pi * 5000 * t + i), dtype=torch.float32)

def log_mel(x):
    spec = torch.stft(x, n_fft, hop_length=hop, win_length=n_fft, window=window, center=True,
                      pad_mode="reflect", normalized=False, onesided=True, return_complex=True)
    power = torch.view_as_real(spec).square().sum(-1)   # (B, F, T)
    return torch.log(fb.matmul(power) + 1e-6)           # (B, M, T)

def run():
    t0, c0 = time.perf_counter(), time.process_time()
    total, frames = 0.0, 0
    with torch.no_grad():
        for s in range(0, clips, batch):
            y = log_mel(waves[s:s + batch])
            total += y.sum(dtype=torch.float64).item()
            frames = y.shape[-1]
    return clips / (time.perf_counter() - t0), (time.process_time() - c0) * 1000 / clips, total / (clips * n_mels * frames)

run()
rates, cpus = [], []
for _ in range(repeats):
    rate, cpu, checksum = run()
    rates.append(rate)
    cpus.append(cpu)
rates.sort()
cpus.sort()
print(f"torch={torch.__version__} clips_per_s={rates[len(rates) // 2]:.1f} cpu_ms_per_clip={cpus[len(cpus) // 2]:.3f} checksum={checksum:.6f}")
