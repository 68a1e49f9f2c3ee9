using System.Text;
using HpcLearn.Tests.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

using HpcLearn.Tests.Training;

namespace HpcLearn.Tests.Runs;

/// <summary>Hand-made safetensors files, good and damaged, loaded into <see cref="TinyMlp"/> (hidden 2).</summary>
public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WeightsPath => Path.Combine(_dir.Path, ModelArtifact.WeightsFile);

    private const string Damaged = "the file is damaged or not a safetensors file";

    // TinyMlp(hidden: 2): fc1.weight (2, 2), fc1.bias (2), fc2.weight (1, 2), fc2.bias (1): 9 floats, 36 bytes.
    private static string Tensor(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    private static string[] Good() =>
    [
        Tensor("fc1.weight", "F32", "[2,2]", 0, 16),
        Tensor("fc1.bias", "F32", "[2]", 16, 24),
        Tensor("fc2.weight", "F32", "[1,2]", 24, 32),
        Tensor("fc2.bias", "F32", "[1]", 32, 36),
    ];

    private static readonly float[] Values = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    private void Write(string header, byte[]? data = null, ulong? declaredLength = null)
    {
        var head = Encoding.UTF8.GetBytes(header);
        using var f = File.Create(WeightsPath);
        f.Write(BitConverter.GetBytes(declaredLength ?? (ulong)head.Length));
        f.Write(head);
        f.Write(data ?? Bytes(Values));
    }

    private void Write(IEnumerable<string> tensors, byte[]? data = null) => Write("{" + string.Join(",", tensors) + "}", data);

    private static byte[] Bytes(float[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();

    private string Load()
    {
        using var model = new TinyMlp(hidden: 2);
        return Assert.Throws<UserError>(() => ModelArtifact.LoadWeights(_dir.Path, model)).Message;
    }

    [Fact]
    public void A_well_formed_file_loads_every_value_into_its_tensor()
    {
        Write("{\"__metadata__\":{\"format\":\"pt\"}," + string.Join(",", Good()) + "}");
        using var model = new TinyMlp(hidden: 2);
        ModelArtifact.LoadWeights(_dir.Path, model);
        var sd = model.state_dict();
        Assert.Equal([1f, 2, 3, 4], sd["fc1.weight"].data<float>().ToArray());
        Assert.Equal([5f, 6], sd["fc1.bias"].data<float>().ToArray());
        Assert.Equal([7f, 8], sd["fc2.weight"].data<float>().ToArray());
        Assert.Equal([9f], sd["fc2.bias"].data<float>().ToArray());
    }

    [Fact]
    public void A_file_written_by_save_reads_back_through_the_checked_reader()
    {
        using var scope = torch.NewDisposeScope();
        using var saved = new TinyMlp(hidden: 2);
        ModelArtifact.Save(Path.Combine(_dir.Path, "m"), saved, new ModelManifest { Task = "t" });
        var file = SafeTensorsFile.Open(Path.Combine(_dir.Path, "m", ModelArtifact.WeightsFile));
        Assert.Equal(["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"], file.Tensors.Keys.Order());
        Assert.Equal(36, file.DataLength);
        using var loaded = new TinyMlp(hidden: 2);
        file.LoadInto(loaded);
        foreach (var (name, t) in saved.state_dict())
            Assert.Equal(t.data<float>().ToArray(), loaded.state_dict()[name].data<float>().ToArray());
    }

    [Fact]
    public void A_dtype_other_than_the_models_is_refused_not_converted()
    {
        // Consistent as a file (4 one-byte elements in 4 bytes), but the model's tensor is F32.
        Write([Tensor("fc1.weight", "I8", "[2,2]", 0, 4), Tensor("fc1.bias", "F32", "[2]", 4, 12),
               Tensor("fc2.weight", "F32", "[1,2]", 12, 20), Tensor("fc2.bias", "F32", "[1]", 20, 24)], new byte[24]);
        Assert.Equal($"{WeightsPath}: weights do not match the architecture in model.json (tensor 'fc1.weight' is I8 [2,2], the model's is F32 [2,2])", Load());
    }

    [Fact]
    public void A_dtype_whose_size_does_not_fit_the_offsets_is_a_damaged_file()
    {
        var t = Good();
        t[0] = Tensor("fc1.weight", "I8", "[2,2]", 0, 16);
        Write(t);
        Assert.Equal($"{WeightsPath}: tensor 'fc1.weight' is I8 [2,2], which takes 4 bytes, but its data_offsets [0,16] hold 16; {Damaged}", Load());
    }

    [Fact]
    public void An_unknown_dtype_is_named()
    {
        var t = Good();
        t[1] = Tensor("fc1.bias", "F33", "[2]", 16, 24);
        Write(t);
        Assert.StartsWith($"{WeightsPath}: tensor 'fc1.bias' has dtype 'F33', which is not a safetensors dtype (", Load());
    }

    [Fact]
    public void Negative_offsets_that_would_read_the_header_as_weights_are_refused()
    {
        var t = Good();
        t[3] = Tensor("fc2.bias", "F32", "[1]", -4, 0);
        Write(t);
        Assert.Equal($"{WeightsPath}: tensor 'fc2.bias' data_offsets [-4,0] lie outside the data section (0 to 36 bytes) or end before they begin; {Damaged}", Load());
    }

    [Fact]
    public void Offsets_past_the_end_of_the_file_are_refused()
    {
        var t = Good();
        t[3] = Tensor("fc2.bias", "F32", "[1]", 36, 40);
        Write(t);
        Assert.Equal($"{WeightsPath}: tensor 'fc2.bias' data_offsets [36,40] lie outside the data section (0 to 36 bytes) or end before they begin; {Damaged}", Load());
    }

    [Fact]
    public void Offsets_that_end_before_they_begin_are_refused()
    {
        var t = Good();
        t[3] = Tensor("fc2.bias", "F32", "[1]", 36, 32);
        Write(t);
        Assert.Contains("data_offsets [36,32] lie outside the data section (0 to 36 bytes) or end before they begin", Load());
    }

    [Fact]
    public void Overlapping_tensors_are_refused()
    {
        var t = Good();
        t[2] = Tensor("fc2.weight", "F32", "[1,2]", 20, 28);
        Write(t);
        Assert.Equal($"{WeightsPath}: tensors 'fc1.bias' [16,24] and 'fc2.weight' [20,28] overlap in the data section; {Damaged}", Load());
    }

    [Fact]
    public void A_byte_length_other_than_shape_times_dtype_size_is_refused()
    {
        var t = Good();
        t[0] = Tensor("fc1.weight", "F32", "[2,2]", 0, 12);
        Write(t);
        Assert.Equal($"{WeightsPath}: tensor 'fc1.weight' is F32 [2,2], which takes 16 bytes, but its data_offsets [0,12] hold 12; {Damaged}", Load());
    }

    [Fact]
    public void A_negative_or_overflowing_shape_is_refused()
    {
        var t = Good();
        t[0] = Tensor("fc1.weight", "F32", "[2,-2]", 0, 16);
        Write(t);
        Assert.Equal($"{WeightsPath}: tensor 'fc1.weight' has a negative size in its shape [2,-2]; {Damaged}", Load());

        t[0] = Tensor("fc1.weight", "F32", "[4611686018427387904,4611686018427387904]", 0, 16);
        Write(t);
        Assert.StartsWith($"{WeightsPath}: tensor 'fc1.weight' is F32 [4611686018427387904,4611686018427387904], which takes more than the data section's 36 bytes", Load());
    }

    [Fact]
    public void A_header_length_larger_than_the_file_is_refused_before_allocating()
    {
        Write("{}", new byte[2000], declaredLength: 1UL << 30);
        using var model = new TinyMlp(hidden: 2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<UserError>(() => ModelArtifact.LoadWeights(_dir.Path, model));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal($"{WeightsPath}: the header length 1073741824 is larger than the file (2010 bytes); {Damaged}", e.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes before refusing the header");
    }

    [Fact]
    public void A_header_over_the_limit_is_refused_even_when_the_file_is_that_large()
    {
        Write("{}", [], declaredLength: (ulong)SafeTensorsFile.MaxHeaderBytes + 1);
        using (var f = new FileStream(WeightsPath, FileMode.Open)) f.SetLength(SafeTensorsFile.MaxHeaderBytes + 64); // sparse: no disk used
        Assert.Equal($"{WeightsPath}: the header length 104857601 is over the 100 MB limit for a safetensors header; {Damaged}", Load());
    }

    [Fact]
    public void A_file_too_short_for_the_length_prefix_is_refused()
    {
        File.WriteAllBytes(WeightsPath, [1, 2, 3]);
        Assert.Equal($"{WeightsPath}: 3 bytes, too short for a safetensors header; {Damaged}", Load());
    }

    [Fact]
    public void A_header_that_is_not_json_or_not_an_object_is_refused()
    {
        Write("this is not json at all");
        Assert.StartsWith($"{WeightsPath}: the header is not valid JSON (", Load());
        Assert.EndsWith(Damaged, Load());

        Write("[1, 2, 3]");
        Assert.Equal($"{WeightsPath}: the header is a JSON array, not an object; {Damaged}", Load());

        Write("{\"fc1.weight\": 3}");
        Assert.Equal($"{WeightsPath}: tensor 'fc1.weight' is not described by a JSON object; {Damaged}", Load());

        Write("{\"fc1.weight\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0.5, 16]}}");
        Assert.Equal($"{WeightsPath}: tensor 'fc1.weight' has data_offsets [0.5, 16], which are not all whole numbers; {Damaged}", Load());
    }

    [Fact]
    public void Missing_or_extra_tensors_do_not_match_the_architecture()
    {
        Write(Good().Take(3), Bytes(Values)[..32]);
        Assert.Equal($"{WeightsPath}: weights do not match the architecture in model.json (missing 'fc2.bias')", Load());

        Write([.. Good(), Tensor("fc3.bias", "F32", "[1]", 36, 40)], Bytes([.. Values, 10]));
        Assert.Equal($"{WeightsPath}: weights do not match the architecture in model.json (not in the model 'fc3.bias')", Load());
    }

    [Fact]
    public void A_refused_file_leaves_the_models_weights_untouched()
    {
        var t = Good();
        t[3] = Tensor("fc2.bias", "F32", "[1]", 36, 40);
        Write(t);
        using var model = new TinyMlp(hidden: 2);
        var before = model.state_dict()["fc1.weight"].data<float>().ToArray();
        Assert.Throws<UserError>(() => ModelArtifact.LoadWeights(_dir.Path, model));
        Assert.Equal(before, model.state_dict()["fc1.weight"].data<float>().ToArray());
    }
}
