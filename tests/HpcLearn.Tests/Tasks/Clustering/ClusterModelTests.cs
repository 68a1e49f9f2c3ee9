using System.Text.Json.Nodes;
using HpcLearn.Tasks.Clustering;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using static HpcLearn.Tests.Training.ModelJson;

namespace HpcLearn.Tests.Tasks.Clustering;

/// <summary>A k-means model folder, then its model.json damaged one number at a time.</summary>
public sealed class ClusterModelTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Save()
    {
        string dir = _dir["model"];
        new ClusterModel(["x", "y"], [0, 0, 5, 5], 2, new Standardizer([1, 2], [3, 4]), Standardized: true)
            .Save(dir, new ModelManifest { Provenance = new Provenance { Seed = 1 } });
        return dir;
    }

    [Fact]
    public void An_untouched_folder_loads_and_assigns_the_nearest_centre()
    {
        var m = ClusterModel.Load(Save());
        Assert.Equal([0, 1], m.Assign([1, 2, 16, 22], 2));
    }

    [Fact]
    public void Its_hand_written_weights_pass_the_checked_safetensors_reader()
    {
        var file = SafeTensorsFile.Open(Path.Combine(Save(), ModelArtifact.WeightsFile));
        Assert.Equal(["centres", "mean", "scale"], file.Tensors.Keys);
        Assert.Equal(("F32", "[2,2]", 0L, 16L), (file.Tensors["centres"].DType, file.Tensors["centres"].ShapeText, file.Tensors["centres"].Begin, file.Tensors["centres"].End));
        Assert.Equal(32, file.DataLength);
    }

    [Theory]
    [InlineData("scale", "[3, 0]", "details.scale[1] is 0; it must be a positive finite number")]
    [InlineData("k", "0", "details.k is 0; it must be from 1 to 2,147,483,647")]
    public void Values_that_would_give_nan_or_crash_are_refused(string key, string value, string error)
    {
        string dir = Save();
        EditDetails(dir, d => d[key] = JsonNode.Parse(value));
        Assert.Equal($"{PathIn(dir)}: {error}; {Damaged}", Error(() => ClusterModel.Load(dir)));
    }
}
