using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using FluentAssertions;
using MiniNet.IO;
using MiniNet.NN;
using MiniNet.Optim;
using Xunit;

namespace MiniNet.Tests.IO;

/// <summary>Tests that switch <see cref="SafeTensors.VerifyChecksums"/> (process-wide) run alone.</summary>
[CollectionDefinition(nameof(ChecksumSwitch), DisableParallelization = true)]
public sealed class ChecksumSwitch
{
}

/// <summary>
/// Saved models and training checkpoints carry the SHA-256 of their data in the safetensors metadata; a flipped weight
/// byte is reported and nothing is loaded; files without the key (written by other tools) load; the check can be skipped.
/// </summary>
[Collection(nameof(ChecksumSwitch))]
public sealed class ChecksumTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-sha-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Sequential Net(ulong seed) => new(new Linear(3, 8, new Rng(seed)), new Tanh(), new Linear(8, 2, new Rng(seed + 1)));

    [Fact]
    public void SavedModel_RecordsSha256OfTheData_AsMetadata()
    {
        string path = Path.Combine(_dir, "m.safetensors");
        Net(1).Save(path);
        SafeTensorsHeader header = SafeTensors.ReadHeader(path);
        byte[] data = File.ReadAllBytes(path)[(int)header.DataOffset..];
        header.Metadata[SafeTensors.ChecksumKey].Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)));
    }

    [Fact]
    public void FlippedWeightByte_InEveryPosition_IsReported_AndTheModuleIsUnchanged()
    {
        string path = Path.Combine(_dir, "m.safetensors");
        Net(1).Save(path);
        byte[] good = File.ReadAllBytes(path);
        long dataOffset = SafeTensors.ReadHeader(path).DataOffset;
        Sequential target = Net(7);
        float[][] before = target.Parameters().Select(p => p.ToArray()).ToArray();
        for (long i = dataOffset; i < good.Length; i += 5)
        {
            byte[] bad = (byte[])good.Clone();
            bad[i] ^= 0x01; // the lowest mantissa bit of some weight: a silent, plausible change
            File.WriteAllBytes(path, bad);
            Action act = () => target.Load(path);
            act.Should().Throw<SafeTensorsFormatException>().WithMessage("*SHA-256*damaged*nothing was loaded*VerifyChecksums*");
        }

        target.Parameters().Select(p => p.ToArray()).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void TrainingCheckpoint_WithFlippedByte_IsReported_AndNothingIsRestored()
    {
        string path = Path.Combine(_dir, "ck.safetensors");
        Sequential net = Net(1);
        var optimizer = new Adam(net.Parameters(), learningRate: 0.01);
        net.Forward(Tensor.Ones<float>(2, 3)).Sum().Backward();
        optimizer.Step();
        TrainingCheckpoint.Save(path, net, optimizer, epoch: 3, new Rng(5));
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x80;
        File.WriteAllBytes(path, bytes);

        Sequential fresh = Net(9);
        var freshOptimizer = new Adam(fresh.Parameters(), learningRate: 0.01);
        float[] before = fresh.Parameters()[0].ToArray();
        Action act = () => TrainingCheckpoint.Load(path, fresh, freshOptimizer, new Rng(1));
        act.Should().Throw<SafeTensorsFormatException>().WithMessage("*SHA-256*");
        fresh.Parameters()[0].ToArray().Should().Equal(before);
    }

    [Fact]
    public void FileWithoutChecksum_WrittenElsewhere_Loads()
    {
        // What Python's safetensors writes for {"w": zeros(2)}: no __metadata__ at all.
        string path = Path.Combine(_dir, "foreign.safetensors");
        byte[] json = Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}");
        byte[] file = new byte[8 + json.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(8 + json.Length), 1.5f);
        File.WriteAllBytes(path, file);
        SafeTensors.Load<float>(path).Single().Tensor.ToArray().Should().Equal(1.5f, 0f);
    }

    [Fact]
    public void VerifyChecksumsFalse_LoadsADamagedFile()
    {
        string path = Path.Combine(_dir, "m.safetensors");
        Net(1).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        SafeTensors.VerifyChecksums = false;
        try
        {
            Net(2).Load(path);
        }
        finally
        {
            SafeTensors.VerifyChecksums = true;
        }
    }

    [Fact]
    public void ReservedKey_IsRejected()
    {
        var metadata = new System.Collections.Generic.Dictionary<string, string> { [SafeTensors.ChecksumKey] = "x" };
        Action act = () => Net(1).Save(Path.Combine(_dir, "r.safetensors"), metadata);
        act.Should().Throw<ArgumentException>().WithMessage("*reserved*");
    }
}
