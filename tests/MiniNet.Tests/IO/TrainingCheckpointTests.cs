using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FluentAssertions;
using MiniNet.Data;
using MiniNet.IO;
using MiniNet.NN;
using MiniNet.Optim;
using Xunit;

namespace MiniNet.Tests.IO;

public sealed class TrainingCheckpointTests : IDisposable
{
    private const int Epochs = 5, StopAfter = 2;
    private readonly string _dir = Directory.CreateTempSubdirectory("mininet-train-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Sequential Net(ulong seed) =>
        new(new Linear(3, 8, new Rng(seed)), new Tanh(), new Linear(8, 2, new Rng(seed + 1)));

    private static Optimizer<float> MakeOptimizer(string kind, Module<float> net) => kind switch
    {
        "sgd-momentum" => new Sgd(net.Parameters(), learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3),
        "sgd-nesterov" => new Sgd(net.Parameters(), learningRate: 0.05, momentum: 0.8, nesterov: true),
        "adam" => new Adam(net.Parameters(), learningRate: 0.01, weightDecay: 1e-4),
        "adamw" => new AdamW(net.Parameters(), learningRate: 0.01),
        "rmsprop" => new RMSprop(net.Parameters(), learningRate: 0.01, weightDecay: 1e-3, momentum: 0.5, centered: true),
        "adadelta" => new Adadelta(net.Parameters(), weightDecay: 1e-3),
        "groups" => new AdamW(ParameterGroup.DecayWeightsOnly(net, 0.05), learningRate: 0.01),
        _ => throw new ArgumentException(kind),
    };

    // 40 examples in batches of 16: 3 batches per epoch, the last one partial.
    private static (Tensor<float> X, Tensor<float> Y) Data()
    {
        var rng = new Rng(123);
        Tensor<float> x = Tensor.Randn(rng, 40, 3);
        Tensor<float> y = Tensor.Rand(rng, 40, 2);
        return (x, y);
    }

    // One epoch: a fresh shuffle from `rng` (inside the loader), plus one Gaussian draw per batch used as input
    // noise, so the generator's cached Box-Muller spare is part of the state that must survive a resume (3 draws).
    private static void TrainEpoch(Module<float> net, Optimizer<float> optimizer, DataLoader<float> loader, Rng rng)
    {
        foreach (Batch<float> batch in loader)
        {
            batch.Inputs.AsSpanForWrite()[0] += 0.01f * (float)rng.NextGaussian();
            optimizer.ZeroGrad();
            net.Forward(batch.Inputs).MseLoss(batch.Targets).Backward();
            optimizer.Step();
        }
    }

    [Theory]
    [InlineData("sgd-momentum")]
    [InlineData("sgd-nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("rmsprop")]
    [InlineData("adadelta")]
    [InlineData("groups")]
    public void StopSaveLoadResume_IsBitIdenticalToAnUninterruptedRun(string kind)
    {
        var (x, y) = Data();

        Sequential reference = Net(1);
        Optimizer<float> referenceOptimizer = MakeOptimizer(kind, reference);
        var referenceRng = new Rng(7);
        var referenceLoader = new DataLoader<float>(x, y, batchSize: 16, shuffle: referenceRng);
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            TrainEpoch(reference, referenceOptimizer, referenceLoader, referenceRng);
        }

        string path = Path.Combine(_dir, "run.safetensors");
        {
            Sequential net = Net(1);
            Optimizer<float> optimizer = MakeOptimizer(kind, net);
            var rng = new Rng(7);
            var loader = new DataLoader<float>(x, y, batchSize: 16, shuffle: rng);
            for (int epoch = 0; epoch < StopAfter; epoch++)
            {
                TrainEpoch(net, optimizer, loader, rng);
            }

            TrainingCheckpoint.Save(path, net, optimizer, StopAfter, rng, new Dictionary<string, string> { ["note"] = "stopped" });
        }

        // Fresh objects with other seeds: whatever matches afterwards was restored from the file.
        Sequential resumed = Net(1000);
        Optimizer<float> resumedOptimizer = MakeOptimizer(kind, resumed);
        var resumedRng = new Rng(999);
        var resumedLoader = new DataLoader<float>(x, y, batchSize: 16, shuffle: resumedRng);
        resumed.Parameters()[0].ToArray().Should().NotEqual(Net(1).Parameters()[0].ToArray());
        int start = TrainingCheckpoint.Load(path, resumed, resumedOptimizer, resumedRng, out IReadOnlyDictionary<string, string> extra);
        start.Should().Be(StopAfter);
        extra.Should().Equal(new Dictionary<string, string> { ["note"] = "stopped" });
        resumedOptimizer.StepCount.Should().Be(StopAfter * 3);
        for (int epoch = start; epoch < Epochs; epoch++)
        {
            TrainEpoch(resumed, resumedOptimizer, resumedLoader, resumedRng);
        }

        for (int i = 0; i < reference.Parameters().Count; i++)
        {
            resumed.Parameters()[i].ToArray().Should().Equal(reference.Parameters()[i].ToArray(), $"parameter {i} after resuming ({kind})");
        }

        var referenceState = referenceOptimizer.GetState();
        var resumedState = resumedOptimizer.GetState();
        resumedState.Count.Should().Be(referenceState.Count).And.BePositive();
        for (int i = 0; i < referenceState.Count; i++)
        {
            resumedState[i].Buffer.ToArray().Should().Equal(referenceState[i].Buffer.ToArray(), referenceState[i].Name);
        }

        resumedRng.NextUInt64().Should().Be(referenceRng.NextUInt64());
    }

    [Fact]
    public void Load_RestoresTheLearningRate_SetByASchedule()
    {
        string path = Path.Combine(_dir, "lr.safetensors");
        Sequential net = Net(1);
        var optimizer = new Sgd(net.Parameters(), learningRate: 0.1) { LearningRate = 0.025 };
        TrainingCheckpoint.Save(path, net, optimizer, 3, new Rng(1));
        var fresh = new Sgd(Net(2).Parameters(), learningRate: 0.1);
        TrainingCheckpoint.Load(path, Net(2), fresh, new Rng(2)).Should().Be(3);
        fresh.LearningRate.Should().Be(0.025);
    }

    [Fact]
    public void Load_RestoresEveryGroupsRate_AndRejectsOtherGroupDecays()
    {
        string path = Path.Combine(_dir, "groups.safetensors");
        Sequential net = Net(1);
        var optimizer = new AdamW(ParameterGroup.DecayWeightsOnly(net, 0.05), learningRate: 0.01);
        optimizer.Groups[1].LearningRate = 0.002;
        TrainingCheckpoint.Save(path, net, optimizer, 1, new Rng(1));
        var fresh = new AdamW(ParameterGroup.DecayWeightsOnly(Net(2), 0.05), learningRate: 0.01);
        TrainingCheckpoint.Load(path, Net(2), fresh, new Rng(2));
        fresh.Groups.Select(g => g.LearningRate).Should().Equal(0.01, 0.002);
        Action otherDecay = () => TrainingCheckpoint.Load(path, Net(2), new AdamW(ParameterGroup.DecayWeightsOnly(Net(2), 0.1)), new Rng(2));
        otherDecay.Should().Throw<SafeTensorsFormatException>().WithMessage("*optimizer.group.0.weight_decay is '0.05'*'0.1'*");
        Action oneGroup = () => TrainingCheckpoint.Load(path, Net(2), new AdamW(Net(2).Parameters()), new Rng(2));
        oneGroup.Should().Throw<SafeTensorsFormatException>().WithMessage("*optimizer.groups is '2'*'1'*");
    }

    [Fact]
    public void DoubleCheckpoint_IntoFloatModel_ThrowsClearly_AndChangesNothing()
    {
        string path = Path.Combine(_dir, "f64.safetensors");
        var doubleNet = new Sequential<double>(new Linear<double>(3, 8, new Rng(1)), new Tanh<double>(), new Linear<double>(8, 2, new Rng(2)));
        TrainingCheckpoint.Save(path, doubleNet, new Sgd<double>(doubleNet.Parameters(), 0.1), 1, new Rng(1));

        Sequential net = Net(5);
        float[] before = net.Parameters()[0].ToArray();
        var rng = new Rng(5);
        Action act = () => TrainingCheckpoint.Load(path, net, new Sgd(net.Parameters(), 0.1), rng);
        act.Should().Throw<SafeTensorsFormatException>().WithMessage("*F64 (double)*model and optimizer are float (F32)*model and optimizer of double*");
        net.Parameters()[0].ToArray().Should().Equal(before);
        rng.NextUInt64().Should().Be(new Rng(5).NextUInt64());
    }

    [Fact]
    public void Load_Throws_OnOptimizerTypeOrHyperParameterMismatch_BeforeChangingAnything()
    {
        string path = Path.Combine(_dir, "opt.safetensors");
        Sequential saved = Net(1);
        var sgd = new Sgd(saved.Parameters(), 0.1, momentum: 0.9);
        TrainingCheckpoint.Save(path, saved, sgd, 1, new Rng(1));

        Sequential net = Net(5);
        float[] before = net.Parameters()[2].ToArray();
        Action wrongType = () => TrainingCheckpoint.Load(path, net, new Adam(net.Parameters()), new Rng(5));
        wrongType.Should().Throw<SafeTensorsFormatException>().WithMessage("*optimizer.type is 'Sgd'*'Adam'*");
        Action wrongMomentum = () => TrainingCheckpoint.Load(path, net, new Sgd(net.Parameters(), 0.1, momentum: 0.5), new Rng(5));
        wrongMomentum.Should().Throw<SafeTensorsFormatException>().WithMessage("*optimizer.momentum is '0.9'*'0.5'*");
        net.Parameters()[2].ToArray().Should().Equal(before);
    }

    [Fact]
    public void Load_Throws_OnArchitectureMismatch_NamingTheParameter_BeforeChangingAnything()
    {
        string path = Path.Combine(_dir, "arch.safetensors");
        var wide = new Sequential(new Linear(3, 9, new Rng(1)), new Tanh(), new Linear(9, 2, new Rng(2)));
        var optimizer = new Adam(wide.Parameters());
        TrainingCheckpoint.Save(path, wide, optimizer, 1, new Rng(1));

        Sequential net = Net(5);
        var adam = new Adam(net.Parameters());
        Action act = () => TrainingCheckpoint.Load(path, net, adam, new Rng(5));
        act.Should().Throw<SafeTensorsFormatException>().WithMessage("*'0.weight'*[9, 3]*checkpoint*[8, 3]*model*");
        adam.StepCount.Should().Be(0);
    }

    [Fact]
    public void Load_Throws_OnOptimizerStateForAnotherModel_BeforeChangingTheModel()
    {
        // Same parameter shapes for the model but an optimizer built over fewer parameters: its group holds 2, not 4.
        string path = Path.Combine(_dir, "state.safetensors");
        Sequential saved = Net(1);
        var optimizer = new Sgd(saved.Parameters(), 0.1, momentum: 0.9);
        saved.Forward(Tensor.Ones(1, 3)).Sum().Backward();
        optimizer.Step();
        TrainingCheckpoint.Save(path, saved, optimizer, 1, new Rng(1));

        Sequential net = Net(5);
        float[] before = net.Parameters()[0].ToArray();
        var partial = new Sgd(new[] { net.Parameters()[0], net.Parameters()[1] }, 0.1, momentum: 0.9);
        Action act = () => TrainingCheckpoint.Load(path, net, partial, new Rng(5));
        act.Should().Throw<SafeTensorsFormatException>().WithMessage("*optimizer.group.0.params is '4' in the checkpoint but '2'*");
        net.Parameters()[0].ToArray().Should().Equal(before);
    }

    [Fact]
    public void PlainSafeTensorsFile_IsRejected_AsNotATrainingCheckpoint()
    {
        string path = Path.Combine(_dir, "plain.safetensors");
        Net(1).Save(path);
        Action act = () => TrainingCheckpoint.Load(path, Net(1), new Sgd(Net(1).Parameters(), 0.1), new Rng(1));
        act.Should().Throw<SafeTensorsFormatException>().WithMessage("*lacks 'format'*training checkpoint*");
    }

    [Fact]
    public void TruncatedCheckpoint_IsRejected_AtEveryLength()
    {
        string path = Path.Combine(_dir, "full.safetensors");
        Sequential saved = Net(1);
        TrainingCheckpoint.Save(path, saved, new Adam(saved.Parameters()), 1, new Rng(1));
        byte[] bytes = File.ReadAllBytes(path);
        string cut = Path.Combine(_dir, "cut.safetensors");
        for (int length = 0; length < bytes.Length; length += 7)
        {
            File.WriteAllBytes(cut, bytes.AsSpan(0, length).ToArray());
            Sequential net = Net(5);
            Action act = () => TrainingCheckpoint.Load(cut, net, new Adam(net.Parameters()), new Rng(5));
            act.Should().Throw<SafeTensorsFormatException>($"a file cut at {length} of {bytes.Length} bytes");
        }
    }

    [Fact]
    public void SaveThatFailsMidway_LeavesThePreviousCheckpointLoadable_AndNoTempFile()
    {
        string path = Path.Combine(_dir, "ckpt.safetensors");
        Sequential net = Net(1);
        var optimizer = new Sgd(net.Parameters(), 0.1);
        TrainingCheckpoint.Save(path, net, optimizer, 1, new Rng(1));

        // Two ways a save can fail after its temporary file exists: the final rename fails (the target is a
        // directory), or the writer itself throws midway. Either way the temporary file must be gone.
        Directory.CreateDirectory(Path.Combine(_dir, "blocker"));
        Action blocked = () => TrainingCheckpoint.Save(Path.Combine(_dir, "blocker"), net, optimizer, 2, new Rng(1));
        blocked.Should().Throw<IOException>();
        Action failing = () => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[50_000]);
            throw new IOException("disk full (simulated)");
        });
        failing.Should().Throw<IOException>().WithMessage("*simulated*");

        Directory.GetFiles(_dir).Should().Equal(path);
        TrainingCheckpoint.Load(path, Net(2), new Sgd(Net(2).Parameters(), 0.1), new Rng(2)).Should().Be(1);
    }

    [Fact]
    public void TempFilesLeftByACrash_DoNotBreakTheNextSaveOrLoad()
    {
        string path = Path.Combine(_dir, "ckpt.safetensors");
        File.WriteAllBytes(Path.Combine(_dir, ".ckpt.safetensors.0123456789abcdef0123456789abcdef.tmp"), new byte[] { 1, 2, 3 });
        File.WriteAllBytes(Path.Combine(_dir, "ckpt.safetensors.tmp-garbage"), new byte[1000]);
        Sequential net = Net(1);
        var optimizer = new Adam(net.Parameters());
        TrainingCheckpoint.Save(path, net, optimizer, 4, new Rng(1));
        Sequential fresh = Net(3);
        TrainingCheckpoint.Load(path, fresh, new Adam(fresh.Parameters()), new Rng(3)).Should().Be(4);
        fresh.Parameters()[0].ToArray().Should().Equal(net.Parameters()[0].ToArray());
    }
}
