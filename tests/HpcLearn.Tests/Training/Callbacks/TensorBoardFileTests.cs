using System.Text;
using HpcLearn.Tests.Data;
using HpcLearn.Training.Callbacks;
using TorchSharp;
using Xunit;

using HpcLearn.Runs;

namespace HpcLearn.Tests.Training.Callbacks;

/// <summary>
/// The event files are what TensorBoard reads: TFRecord framing (length, masked CRC-32C of the
/// length, payload, masked CRC-32C of the payload) around Event protos with our scalar tags.
/// Checked record by record with an independent CRC-32C, as TensorBoard's reader does.
/// </summary>
public sealed class TensorBoardFileTests
{
    [Fact]
    public void Event_files_are_valid_tfrecords_holding_the_epoch_scalars()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new TempDir();
        using var t = new Tiny(metrics: Tiny.Mae, callbacks: [new MetricsLogCallback(dir.Path)]);
        t.Learner.Fit(3);

        var file = Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "tensorboard"), "events.out.tfevents*", SearchOption.AllDirectories));
        var payloads = Records(File.ReadAllBytes(file));

        // The first event names the file format; then 4 scalars per epoch (train/valid loss, mae, lr).
        Assert.Contains("brain.Event:2", Encoding.ASCII.GetString(payloads[0]));
        foreach (var tag in new[] { "loss/train", "loss/valid", "valid/mae", "lr" })
        {
            // Summary.Value.tag is field 1, length-delimited: 0x0A, length, the tag's bytes.
            byte[] field = [0x0A, (byte)tag.Length, .. Encoding.ASCII.GetBytes(tag)];
            Assert.Equal(3, payloads.Count(p => p.AsSpan().IndexOf(field) >= 0)); // one per epoch
        }
    }

    /// <summary>Splits a TFRecord file, checking both CRCs of every record and that nothing trails.</summary>
    private static List<byte[]> Records(byte[] data)
    {
        var records = new List<byte[]>();
        int pos = 0;
        while (pos < data.Length)
        {
            Assert.True(pos + 12 <= data.Length, $"truncated header at byte {pos}");
            ulong length = BitConverter.ToUInt64(data, pos);
            Assert.Equal(Masked(Crc32C(data.AsSpan(pos, 8))), BitConverter.ToUInt32(data, pos + 8));
            pos += 12;
            Assert.True(pos + (int)length + 4 <= data.Length, $"truncated record at byte {pos}");
            var payload = data.AsSpan(pos, (int)length).ToArray();
            Assert.Equal(Masked(Crc32C(payload)), BitConverter.ToUInt32(data, pos + (int)length));
            records.Add(payload);
            pos += (int)length + 4;
        }
        return records;
    }

    private static uint Masked(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8u;

    // CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit: slow and obviously right.
    private static uint Crc32C(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }
}
