using System;
using System.IO;
using System.Linq;
using FluentAssertions;
using MiniNet.IO;
using MiniNet.NN;
using Xunit;

namespace MiniNet.Tests.IO;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Sequential Net(ulong seed, int hidden = 4) =>
        new(new Linear(2, hidden, new Rng(seed)), new Sigmoid(), new Linear(hidden, 1, new Rng(seed + 1)));

    [Fact]
    public void Module_SaveLoad_RestoresEveryParameter()
    {
        string path = Path.Combine(_dir, "net.safetensors");
        Sequential trained = Net(1);
        trained.Save(path);
        Sequential fresh = Net(99);
        fresh.Parameters()[0].ToArray().Should().NotEqual(trained.Parameters()[0].ToArray());
        fresh.Load(path);
        foreach (var ((name, a), (_, b)) in trained.NamedParameters().Zip(fresh.NamedParameters()))
        {
            b.ToArray().Should().Equal(a.ToArray(), name);
        }

        SafeTensors.ReadHeader(path).Entries.Select(e => e.Name).Should().Equal("0.weight", "0.bias", "2.weight", "2.bias");
    }

    [Fact]
    public void Module_Load_Throws_OnWrongShape_NamingParameter_AndLeavesModuleUnchanged()
    {
        string path = Path.Combine(_dir, "wide.safetensors");
        Net(1, hidden: 5).Save(path);
        Sequential net = Net(2);
        float[] before = net.Parameters()[0].ToArray();
        Action act = () => net.Load(path);
        act.Should().Throw<SafeTensorsFormatException>().WithMessage("*'0.weight'*[5, 2]*file*[4, 2]*module*");
        net.Parameters()[0].ToArray().Should().Equal(before);
    }

    [Fact]
    public void Module_Load_Throws_OnMissingOrExtraOrDType()
    {
        string path = Path.Combine(_dir, "x.safetensors");
        SafeTensors.Save(path, Net(1).NamedParameters().Take(3));
        Action missing = () => Net(1).Load(path);
        missing.Should().Throw<SafeTensorsFormatException>().WithMessage("*'2.bias'*missing*");

        SafeTensors.Save(path, Net(1).NamedParameters().Append(("extra", Tensor.Ones(1))));
        Action extra = () => Net(1).Load(path);
        extra.Should().Throw<SafeTensorsFormatException>().WithMessage("*'extra'*not a parameter*");

        var doubleNet = new Sequential<double>(new Linear<double>(2, 4, new Rng(1)), new Sigmoid<double>(), new Linear<double>(4, 1, new Rng(1)));
        doubleNet.Save(path);
        Action dtype = () => Net(1).Load(path);
        dtype.Should().Throw<SafeTensorsFormatException>().WithMessage("*'0.weight' is F64*module's is F32*");
    }
}

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WriterThrowingMidway_LeavesOldFileIntact_AndNoTempFile()
    {
        string path = Path.Combine(_dir, "model.safetensors");
        File.WriteAllText(path, "old complete content");
        Action act = () => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100_000]);
            throw new InvalidOperationException("crash while writing");
        });
        act.Should().Throw<InvalidOperationException>();
        File.ReadAllText(path).Should().Be("old complete content");
        Directory.GetFiles(_dir).Should().Equal(path);
    }

    [Fact]
    public void Write_ReplacesContent()
    {
        string path = Path.Combine(_dir, "f.bin");
        File.WriteAllText(path, "old");
        AtomicFile.Write(path, s => s.Write("new"u8));
        File.ReadAllText(path).Should().Be("new");
        Directory.GetFiles(_dir).Should().Equal(path);
    }

    [Fact]
    public void FailureToWrite_NamesTheTarget_NotTheHiddenTemporaryFile()
    {
        // Issue 15: a failed save reported only ".model.safetensors.<guid>.tmp", a file the user never named.
        string path = Path.Combine(_dir, "gone", "model.safetensors");
        Action act = () => AtomicFile.Write(path, s => s.Write("x"u8));
        IOException e = act.Should().Throw<IOException>().Which;
        e.Message.Should().StartWith($"Cannot write '{path}': ").And.Contain("temporary file");
        e.InnerException.Should().BeOfType<DirectoryNotFoundException>();
    }

    [Fact]
    public void DirectoryFsync_Succeeds_OnLinux_AndReportsAPathItCannotOpen()
    {
        // Issue 15: Write fsyncs the directory after the rename (strace of MiniNet.Mnist --save shows
        // open(dir, O_RDONLY) and fsync after each rename). This checks the libc calls themselves work here.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        AtomicFile.SyncDirectory(_dir).Should().BeTrue("open(O_RDONLY) + fsync of a directory succeed on Linux file systems");
        AtomicFile.SyncDirectory(Path.Combine(_dir, "missing")).Should().BeFalse();
    }
}
