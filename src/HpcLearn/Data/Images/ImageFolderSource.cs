namespace HpcLearn.Data.Images;

/// <summary>Images in a folder per class: <c>root/&lt;label&gt;/*.png|jpg|...</c>; the folder names are the classes.</summary>
public static class ImageFolderSource
{
    /// <summary>Loads every image under <paramref name="root"/>'s class folders (sorted by name).</summary>
    public static ImageSet Load(string root, ImageLoadOptions options)
    {
        if (!Directory.Exists(root)) throw new UserError($"{root}: no such folder; data.path must be a folder with one sub-folder of images per class");
        var classDirs = Directory.GetDirectories(root).Order(StringComparer.Ordinal).ToArray();
        if (classDirs.Length == 0)
            throw new UserError($"{root}: no class folders; put the images of each class in their own sub-folder (e.g. {Path.Combine(root, "cat")}/*.png)");
        var classes = classDirs.Select(Path.GetFileName).Select(n => n!).ToArray();
        var files = new List<(string, int)>();
        for (int c = 0; c < classDirs.Length; c++)
        {
            var images = Directory.EnumerateFiles(classDirs[c], "*", SearchOption.AllDirectories)
                .Where(ImageFile.IsImage).Order(StringComparer.Ordinal).ToArray();
            if (images.Length == 0)
                throw new UserError($"{classDirs[c]}: class folder '{classes[c]}' holds no images ({string.Join(", ", ImageFile.Extensions)}); add some or remove the folder");
            files.AddRange(images.Select(f => (f, c)));
        }
        if (classes.Length < 2)
            throw new UserError($"{root}: only one class folder ('{classes[0]}'); a classifier needs at least two classes");
        return ImageListLoader.Load(files, classes, options, root);
    }
}
