using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using MiniNet.IO;
using Xunit;

namespace MiniNet.Tests.IO;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static byte[] FileWithHeader(string json, int dataBytes)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private string WriteRaw(string json, int dataBytes)
    {
        string path = PathOf(Guid.NewGuid().ToString("N") + ".safetensors");
        File.WriteAllBytes(path, FileWithHeader(json, dataBytes));
        return path;
    }

    [Fact]
    public void RoundTrip_Float_And_Double()
    {
        var rng = new Rng(8);
        var floats = new[] { ("a", Tensor.Randn(rng, 2, 3)), ("b", Tensor.Randn(rng, 5)), ("scalar", Tensor.Scalar(3.5f)), ("empty", Tensor.Zeros(0, 4)) };
        SafeTensors.Save(PathOf("f.safetensors"), floats, new Dictionary<string, string> { ["epoch"] = "7" });
        var back = SafeTensors.Load<float>(PathOf("f.safetensors"));
        back.Select(t => t.Name).Should().BeEquivalentTo(floats.Select(t => t.Item1));
        foreach (var (name, tensor) in floats)
        {
            Tensor<float> loaded = back.Single(t => t.Name == name).Tensor;
            loaded.Shape.Should().Be(tensor.Shape);
            loaded.ToArray().Should().Equal(tensor.ToArray());
        }

        SafeTensors.ReadHeader(PathOf("f.safetensors")).Metadata.Should().Contain("epoch", "7");

        var doubles = new[] { ("w", Tensor.Randn<double>(rng, 3, 3)) };
        SafeTensors.Save(PathOf("d.safetensors"), doubles);
        SafeTensors.Load<double>(PathOf("d.safetensors")).Single().Tensor.ToArray().Should().Equal(doubles[0].Item2.ToArray());
    }

    [Fact]
    public void File_FollowsTheSpec_ByteForByte()
    {
        var w = Tensor.FromArray(new[] { 1f, -2f, 0.5f, 4f, 5f, 6f }, 2, 3);
        var b = Tensor.FromArray(new[] { 0.25f, -0.75f }, 2);
        string path = PathOf("spec.safetensors");
        SafeTensors.Save(path, new[] { ("0.weight", w), ("0.bias", b) });

        byte[] bytes = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        ((8 + n) % 8).Should().Be(0, "the header is padded so data starts 8-byte aligned");
        string json = Encoding.UTF8.GetString(bytes, 8, (int)n);
        json.TrimEnd(' ').Should().EndWith("}", "padding is spaces after the JSON object");
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement weight = doc.RootElement.GetProperty("0.weight");
        weight.GetProperty("dtype").GetString().Should().Be("F32");
        weight.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(2, 3);
        weight.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).Should().Equal(0, 24);
        doc.RootElement.GetProperty("0.bias").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).Should().Equal(24, 32);
        bytes.Length.Should().Be((int)(8 + n + 32));

        int data = (int)(8 + n);
        for (int i = 0; i < 6; i++)
        {
            BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(data + (4 * i))).Should().Be(w.ToArray()[i]);
        }

        BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(data + 28)).Should().Be(-0.75f);
    }

    [Fact]
    public void Load_ReadsAHandWrittenFile()
    {
        string path = WriteRaw("{\"__metadata__\":{\"format\":\"pt\"},\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", 16);
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(bytes.Length - 16), 1.5);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(bytes.Length - 8), -3);
        File.WriteAllBytes(path, bytes);
        SafeTensors.Load<double>(path).Single().Tensor.ToArray().Should().Equal(1.5, -3);
    }

    [Fact]
    public void HostileHeaderLength_ThrowsWithoutAllocating()
    {
        string path = PathOf("hostile.safetensors");
        var bytes = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 62);
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Action act = () => SafeTensors.Load<float>(path);
        act.Should().Throw<SafeTensorsFormatException>().WithMessage($"*{path}*header length 4611686018427387904*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public void HugeShape_ThrowsBeforeAllocating()
    {
        string path = WriteRaw("{\"x\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647],\"data_offsets\":[0,4]}}", 4);
        Action act = () => SafeTensors.Load<float>(path);
        act.Should().Throw<SafeTensorsFormatException>().WithMessage("*'x'*larger than a tensor can hold*");
    }

    [Fact]
    public void TruncatedData_Throws_NamingTensor()
    {
        string path = PathOf("t.safetensors");
        SafeTensors.Save(path, new[] { ("a", Tensor.Ones(4)), ("b", Tensor.Ones(4)) });
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);
        Action act = () => SafeTensors.Load<float>(path);
        act.Should().Throw<SafeTensorsFormatException>().WithMessage("*'b'*past the 27-byte data section*");
    }

    public static TheoryData<string, string> BadHeaders => new()
    {
        { "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", "*not well-formed JSON*" },
        { "[1,2]", "*not a JSON object*" },
        { "{\"x\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", "*'x'*dtype 'I64'*" },
        { "{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "*'x'*needs 12 bytes*span 8*" },
        { "{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "*'x'*non-negative*" },
        { "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "*overlap*" },
        { "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "*gap*" },
        { "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "*8 bytes*cover only 4*" },
        { "{\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", "*'x' appears twice*" },
        { "{\"x\":{\"dtype\":\"F64\",\"shape\":[1]}}", "*'x' needs dtype, shape and data_offsets*" },
        { "{\"__metadata__\":{\"k\":1}}", "*__metadata__ value 'k' must be a string*" },
        { "{} {}", "*not well-formed JSON*" },
        { "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1}}", "*unexpected or repeated key 'extra'*" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void BadHeader_Throws_SayingWhy(string json, string message)
    {
        string path = WriteRaw(json, 8);
        Action act = () => SafeTensors.Load<double>(path);
        act.Should().Throw<SafeTensorsFormatException>().WithMessage(message).Which.FilePath.Should().Be(path);
    }

    [Fact]
    public void ShorterThanLengthPrefix_Throws()
    {
        string path = PathOf("tiny.safetensors");
        File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        Action act = () => SafeTensors.Load<float>(path);
        act.Should().Throw<SafeTensorsFormatException>().WithMessage("*3 bytes, fewer than the 8-byte header length*");
    }

    [Fact]
    public void WrongDType_Throws_NamingBoth()
    {
        string path = PathOf("f.safetensors");
        SafeTensors.Save(path, new[] { ("x", Tensor.Ones(2)) });
        Action act = () => SafeTensors.Load<double>(path);
        act.Should().Throw<SafeTensorsFormatException>().WithMessage("*'x' is F32 but F64*");
    }

    [Fact]
    public void Save_Throws_OnDuplicateName()
    {
        Action act = () => SafeTensors.Save(PathOf("dup"), new[] { ("x", Tensor.Ones(1)), ("x", Tensor.Ones(1)) });
        act.Should().Throw<ArgumentException>().WithMessage("*'x'*");
        File.Exists(PathOf("dup")).Should().BeFalse();
    }
}
