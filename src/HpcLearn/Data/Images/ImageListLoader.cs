namespace HpcLearn.Data.Images;

/// <summary>Decodes a list of (file, class) pairs in parallel into an <see cref="ImageSet"/>.</summary>
internal static class ImageListLoader
{
    public static ImageSet Load(IReadOnlyList<(string Path, int Label)> files, IReadOnlyList<string> classes, ImageLoadOptions options, string source)
    {
        if (files.Count == 0) throw new UserError($"{source}: no image files ({string.Join(", ", ImageFile.Extensions)}) found");
        var decoded = new DecodedImage?[files.Count];
        var problems = new string?[files.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads ?? Environment.ProcessorCount };
        Parallel.For(0, files.Count, parallel, i =>
        {
            decoded[i] = ImageFile.TryDecode(files[i].Path, options.Height, options.Width, out var problem);
            problems[i] = problem;
        });
        var skipped = new List<SkippedFile>();
        for (int i = 0; i < files.Count; i++)
            if (decoded[i] is null) skipped.Add(new SkippedFile(files[i].Path, problems[i] ?? "unreadable"));
        double badShare = (double)skipped.Count / files.Count;
        if (badShare > options.MaxBadFraction)
            throw new UserError(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{source}: {skipped.Count} of {files.Count} image files are unreadable ({100 * badShare:F1}%, more than data.max_bad_fraction {100 * options.MaxBadFraction:F1}%); ") +
                $"the first: {skipped[0].Path} ({skipped[0].Reason})");
        var good = Enumerable.Range(0, files.Count).Where(i => decoded[i] is not null).ToArray();
        int channels = options.Channels ?? (good.All(i => decoded[i]!.Grey) ? 1 : 3);
        int size = channels * options.Height * options.Width;
        var pixels = new byte[(long)good.Length * size];
        for (int k = 0; k < good.Length; k++)
            Array.Copy(decoded[good[k]]!.Planes(channels), 0, pixels, (long)k * size, size);
        return new ImageSet(pixels, good.Select(i => files[i].Label).ToArray(), classes, channels, options.Height, options.Width,
            good.Select(i => files[i].Path).ToArray(), skipped);
    }
}
