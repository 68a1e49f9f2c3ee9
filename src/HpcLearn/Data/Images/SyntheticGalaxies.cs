namespace HpcLearn.Data.Images;

/// <summary>
/// Built-in demo data: small grey images of four kinds of galaxy, made in code. Each image has
/// a random position, size, orientation, brightness and sky noise; the same seed gives the same
/// images. Classes: elliptical (smooth, elongated light profile), spiral (bulge plus a disk with
/// two logarithmic arms, either handedness, seen at an inclination), edge-on (a thin disk with a
/// small bulge and a dust lane), irregular (a few bright clumps without symmetry).
/// </summary>
public static class SyntheticGalaxies
{
    /// <summary>The classes, in label order.</summary>
    public static readonly string[] Classes = ["elliptical", "spiral", "edge-on", "irregular"];

    /// <summary>Makes <paramref name="count"/> images of <paramref name="size"/> x <paramref name="size"/> pixels, the classes in turn.</summary>
    public static ImageSet Generate(int count, int size = 32, int seed = 42)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count));
        if (size < 8) throw new ArgumentOutOfRangeException(nameof(size), "at least 8 pixels");
        var pixels = new byte[(long)count * size * size];
        var labels = new int[count];
        Parallel.For(0, count, i =>
        {
            labels[i] = i % Classes.Length;
            // One generator per image, seeded from (seed, i): the result does not depend on threading.
            var rng = new Random(unchecked(seed * 1_000_003 + i * 7919 + 17));
            Draw(labels[i], size, rng, pixels.AsSpan(i * size * size, size * size));
        });
        return new ImageSet(pixels, labels, Classes, 1, size, size,
            Enumerable.Range(0, count).Select(i => $"galaxy-{i:D5}").ToArray());
    }

    /// <summary>
    /// Writes generated galaxies as PNG files in a folder per class (<c>root/spiral/galaxy-00001.png</c>),
    /// the layout <c>data.source: folder</c> reads: a demo of bringing your own images.
    /// </summary>
    public static void WriteFolder(string root, int count, int size = 32, int seed = 42)
    {
        var set = Generate(count, size, seed);
        foreach (var c in Classes) Directory.CreateDirectory(Path.Combine(root, c));
        Parallel.For(0, set.Count, i => ImageGrid.SavePng(Path.Combine(root, Classes[set.Labels[i]], set.Names[i] + ".png"),
            set.Pixels.AsSpan(i * set.ImageSize, set.ImageSize).ToArray(), 1, size, size));
    }

    private static void Draw(int kind, int size, Random rng, Span<byte> image)
    {
        double U(double lo, double hi) => lo + (hi - lo) * rng.NextDouble();
        double cx = size / 2.0 + U(-2, 2), cy = size / 2.0 + U(-2, 2);
        double phi = U(0, Math.PI), cos = Math.Cos(phi), sin = Math.Sin(phi);
        double brightness = U(0.55, 1.0), noise = U(0.02, 0.07);
        double r0 = size * (kind == 2 ? U(0.22, 0.32) : U(0.11, 0.2));
        double q = kind switch { 0 => U(0.45, 1.0), 1 => U(0.55, 1.0), 2 => U(0.07, 0.16), _ => 1.0 };
        double pitch = Math.Tan(U(12, 28) * Math.PI / 180) * (rng.Next(2) == 0 ? 1 : -1);
        double armPhase = U(0, 2 * Math.PI), dust = U(0.5, 0.9);
        var clumps = kind == 3
            ? Enumerable.Range(0, rng.Next(3, 8)).Select(_ => (X: U(-1.4, 1.4) * r0, Y: U(-1.4, 1.4) * r0, S: size * U(0.04, 0.11), A: U(0.35, 1.0))).ToArray()
            : [];
        var field = new double[size * size];
        double peak = 1e-9;
        for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
        {
            double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
            double u = dx * cos + dy * sin, v = (-dx * sin + dy * cos) / q;   // coordinates in the galaxy's own plane
            double r = Math.Sqrt(u * u + v * v);
            double value = kind switch
            {
                0 => Math.Exp(-1.7 * Math.Pow(r / r0, 0.8)),
                1 => Spiral(u, v, r, r0, pitch, armPhase),
                2 => Math.Exp(-r / (0.8 * r0)) * (1 - dust * Math.Exp(-Math.Pow(v * q / (0.35 * q * r0 + 0.4), 2)))
                     + 0.6 * Math.Exp(-(dx * dx + dy * dy) / (2 * Math.Pow(0.18 * r0, 2))),
                _ => clumps.Sum(c => c.A * Math.Exp(-((dx - c.X) * (dx - c.X) + (dy - c.Y) * (dy - c.Y)) / (2 * c.S * c.S))),
            };
            field[y * size + x] = value;
            peak = Math.Max(peak, value);
        }
        for (int i = 0; i < field.Length; i++)
        {
            double gauss = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            double value = brightness * field[i] / peak + 0.05 + noise * gauss;
            image[i] = (byte)Math.Clamp(Math.Round(value * 255), 0, 255);
        }
    }

    // Bulge plus an exponential disk brightened along two logarithmic arms: theta = ln(r) / tan(pitch) + phase.
    private static double Spiral(double u, double v, double r, double r0, double pitch, double phase)
    {
        double theta = Math.Atan2(v, u);
        double arms = Math.Pow(0.5 * (1 + Math.Cos(2 * (theta - Math.Log(r / r0 + 0.05) / pitch - phase))), 3);
        double disk = Math.Exp(-r / (0.9 * r0));
        return 0.9 * Math.Exp(-Math.Pow(r / (0.22 * r0), 2)) + disk * (0.15 + 0.85 * arms);
    }
}
