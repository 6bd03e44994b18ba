using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using MiniNet.IO;
using MiniNet.NN;
using MiniNet.Optim;
using Xunit;

namespace MiniNet.Tests.Reliability;

/// <content>The safetensors parser (bytes and JSON header) and training checkpoints.</content>
public sealed partial class ParserFuzzTests
{
    private static object? LoadSafeTensors(string path)
    {
        SafeTensorsHeader header = SafeTensors.ReadHeader(path);
        return header.Entries.Count > 0 && header.Entries[0].DType == "F64" ? SafeTensors.Load<double>(path) : SafeTensors.Load<float>(path);
    }

    private static byte[] SafeTensorsFile(string json, int dataLength)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        for (int i = 8 + header.Length; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 31);
        }

        return bytes;
    }

    private byte[] SavedSafeTensors<T>(string name, params (string, Tensor<T>)[] tensors)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        string path = Path.Combine(_dir, name);
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["epoch"] = "3", ["ünï"] = "✓" });
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void SafeTensors_RandomTruncatedBitFlippedAndExtremeLengths_LoadOrThrowSafeTensorsFormatException()
    {
        var harness = new FuzzHarness(_dir, "f.safetensors", LoadSafeTensors, typeof(SafeTensorsFormatException), Constant, factor: 24);
        byte[][] seeds =
        {
            SavedSafeTensors("a", ("w", Tensor.Ones(2, 3)), ("b", Tensor.Scalar(2f)), ("e", Tensor.Zeros(0, 4))),
            SavedSafeTensors("b", ("x", Tensor.Ones<double>(3))),
        };
        RunCommon(harness, seeds, new Rng(13), headerWords: 0);
        Finish(harness, "safetensors (bytes)");
    }

    [Fact]
    public void SafeTensors_JsonMutations_LoadOrThrowSafeTensorsFormatException()
    {
        var harness = new FuzzHarness(_dir, "j.safetensors", LoadSafeTensors, typeof(SafeTensorsFormatException), Constant, factor: 24);
        const string Valid = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}}";
        string[] replacements =
        {
            "0", "-1", "1", "2147483647", "2147483648", "4294967296", "4611686018427387904", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "1e400", "-0", "1.5", "1e3", "0x10", "NaN", "null", "true", "\"F32\"", "\"F64\"", "\"I8\"", "\"\"",
            "[]", "{}", "[1,2,3]", "[0,20]", "[16,16]", "[20,16]", "[-4,0]", "{\"a\":{}}", "{\"dtype\":\"F32\"}", "\"\\ud800\"", "\"\\u0000\"",
            "\"名前é\"", "\"a\"", "\"__metadata__\"", new string('[', 100) + new string(']', 100), "\"" + new string('x', 5000) + "\"",
        };
        var tokens = new List<(int Start, int End)>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(Valid));
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.EndObject or JsonTokenType.StartArray or JsonTokenType.EndArray))
            {
                int start = (int)reader.TokenStartIndex;
                tokens.Add((start, (int)reader.BytesConsumed));
            }
        }

        harness.Run("valid", SafeTensorsFile(Valid, 20));
        foreach (var (start, end) in tokens)
        {
            foreach (string replacement in replacements)
            {
                string json = string.Concat(Valid.AsSpan(0, start), replacement, Valid.AsSpan(end));
                harness.Run($"token [{start}, {end}) -> {replacement}", SafeTensorsFile(json, 20));
            }
        }

        string[] structural =
        {
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            "{\"__metadata__\":{\"k\":\"v\"},\"__metadata__\":{\"k\":\"v\"}}",
            "{\"__metadata__\":{\"k\":\"v\",\"k\":\"w\"}}",
            "{\"__metadata__\":{\"k\":{\"nested\":\"v\"}}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"more\":{\"x\":{}}}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[0,2147483647,2147483647],\"data_offsets\":[0,0]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483591,0],\"data_offsets\":[0,0]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[9223372036854775804,9223372036854775807]}}",
            "{\"a\":{\"dtype\":\"F64\",\"shape\":[268435456],\"data_offsets\":[0,2147483648]}}",
            "{\"\\u540d\\u524d\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}",
            "{\"\\ud83d\\ude00\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"\\ud800\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            "{\"\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[" + string.Join(",", Repeat("1", 65)) + "],\"data_offsets\":[0,4]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[" + string.Join(",", Repeat("1", 64)) + "],\"data_offsets\":[0,4]}}",
            "{" + string.Join(",", NumberedEntries(2000)) + "}",
            "   {}   ", "{}", "", "null", "[]", "\"x\"", "{\"a\":1}", "{\"a\":[]}", "{\"a\":null}", "{\"a\":{}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} trailing",
            "\uFEFF{}", "{/*comment*/}", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],}}",
        };
        int index = 0;
        foreach (string json in structural)
        {
            foreach (int dataLength in new[] { 0, 4, 8, 16 })
            {
                harness.Run($"structural {index} data {dataLength}", SafeTensorsFile(json, dataLength));
            }

            index++;
        }

        // Invalid UTF-8 inside a name and inside a value.
        byte[] broken = SafeTensorsFile("{\"aX\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        harness.Run("invalid utf-8 name", Mutate.Overwrite(broken, 8 + 3, new byte[] { 0xC3 }));
        harness.Run("invalid utf-8 name 2", Mutate.Overwrite(broken, 8 + 3, new byte[] { 0xFF }));
        Finish(harness, "safetensors (JSON)");
    }

    private static string[] Repeat(string value, int count)
    {
        var result = new string[count];
        Array.Fill(result, value);
        return result;
    }

    private static IEnumerable<string> NumberedEntries(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return $"\"t{i}\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[{4 * i},{(4 * i) + 4}]}}";
        }
    }

    [Fact]
    public void TrainingCheckpoint_TruncatedAndBitFlipped_LoadOrThrowSafeTensorsFormatException()
    {
        var net = new Sequential(new Linear(2, 3, new Rng(1)), new Tanh(), new Linear(3, 1, new Rng(2)));
        var adam = new Adam(net.Parameters());
        net.Forward(Tensor.Ones(1, 2)).Sum().Backward();
        adam.Step();
        string path = Path.Combine(_dir, "seed.ckpt");
        TrainingCheckpoint.Save(path, net, adam, 1, new Rng(3));
        byte[] seed = File.ReadAllBytes(path);

        var target = new Sequential(new Linear(2, 3, new Rng(4)), new Tanh(), new Linear(3, 1, new Rng(5)));
        var targetAdam = new Adam(target.Parameters());
        var targetRng = new Rng(6);
        var harness = new FuzzHarness(_dir, "f.ckpt", p => TrainingCheckpoint.Load(p, target, targetAdam, targetRng), typeof(SafeTensorsFormatException), CheckpointConstant, factor: 24);
        RunCutsFlipsAndHavoc(harness, seed, new Rng(14));
        Finish(harness, "training checkpoint");
    }
}
