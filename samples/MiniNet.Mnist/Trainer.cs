using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using MiniNet.Data;
using MiniNet.NN;
using MiniNet.Optim;

namespace MiniNet.Samples.Mnist;

/// <summary>One epoch's figures; <see cref="TrainAccuracy"/> is NaN unless <c>--monitor</c> measured it.</summary>
internal sealed record EpochResult(int Epoch, double TrainLoss, double TrainAccuracy, double EvalLoss, double EvalAccuracy, double Seconds, double SamplesPerSecond);

/// <summary>
/// Where a run stands: epochs completed, batches done in the epoch under way, its running loss, the epochs so far, and
/// (mid-epoch only) the generator as it was after the last batch trained: the CNN's dropout masks come from the
/// generator that shuffles, and a resumed run skips the batches already trained without drawing their masks.
/// </summary>
internal sealed record TrainingPosition(int CompletedEpochs, int Batches, double LossSum, int Seen, IReadOnlyList<EpochResult> History, RngState? AfterBatch = null)
{
    public static readonly TrainingPosition Start = new(0, 0, 0, 0, Array.Empty<EpochResult>());
}

/// <summary>The training loss became NaN or infinite.</summary>
internal sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>
/// The training loop: mini-batch SGD/Adam over a <see cref="DataLoader{T}"/>, evaluation after each epoch, a
/// checkpoint after each epoch (with <c>--checkpoint</c>), and a clean stop after the current mini-batch when
/// <c>token</c> is cancelled (Ctrl-C), saving a checkpoint from which <see cref="Run"/> continues bit-identically.
/// </summary>
internal sealed class Trainer(Options options, Sequential network, Optimizer<float> optimizer, LrScheduler schedule, DataLoader<float> loader, Rng rng, string? checkpointPath)
{
    /// <summary>Called after every mini-batch with the number of batches this process has trained (a test hook).</summary>
    public Action<long>? BatchCompleted { get; init; }

    /// <summary>
    /// Trains from <paramref name="from"/> to <see cref="Options.Epochs"/>, reporting each epoch; returns the final
    /// position, whose <see cref="TrainingPosition.Batches"/> is non-zero when the run was interrupted mid-epoch.
    /// </summary>
    /// <exception cref="TrainingDivergedException">A mini-batch's loss is NaN or infinite.</exception>
    public (TrainingPosition Position, bool Interrupted) Run(TrainingPosition from, EvaluationSet? train, EvaluationSet evaluation, Action<EpochResult> report, CancellationToken token)
    {
        var history = new List<EpochResult>(from.History);
        long trained = 0;
        while (schedule.Epoch < from.CompletedEpochs)
        {
            schedule.Step(); // the learning rate of the epoch a resumed run continues with
        }

        for (int epoch = from.CompletedEpochs + 1; epoch <= options.Epochs; epoch++)
        {
            bool resumed = epoch == from.CompletedEpochs + 1;
            int skip = resumed ? from.Batches : 0;
            double lossSum = resumed ? from.LossSum : 0;
            int seen = resumed ? from.Seen : 0, batch = 0;

            // The generator as it is before this epoch's shuffle: a checkpoint taken mid-epoch stores it, so a resumed
            // run shuffles the same order and skips the batches already trained.
            RngState epochStart = rng.GetState();
            var progress = new ProgressBar($"epoch {epoch}", loader.ExampleCount);
            var watch = Stopwatch.StartNew();
            network.Train();
            using (Autograd.RecycleIntermediates())
            {
                foreach (Batch<float> b in loader)
                {
                    if (batch++ < skip)
                    {
                        if (batch == skip && from.AfterBatch is { } afterBatch)
                        {
                            rng.SetState(afterBatch); // this epoch's order is drawn; continue with the masks' draws
                        }

                        continue;
                    }

                    optimizer.ZeroGrad();
                    Tensor<float> cost = Network.Loss(network.Forward(b.Inputs), b.Targets, b.Labels, options.Loss);
                    cost.Backward();
                    optimizer.Step();
                    double value = cost.Item();
                    if (!double.IsFinite(value))
                    {
                        throw new TrainingDivergedException(
                            $"the training loss became {value} in epoch {epoch}, mini-batch {batch:N0}; training stopped. " +
                            $"The learning rate {options.LearningRate} is probably too large: try a smaller --lr (e.g. {options.LearningRate / 10}).");
                    }

                    lossSum += value * b.Size;
                    seen += b.Size;
                    progress.Report(seen, lossSum / seen);
                    BatchCompleted?.Invoke(++trained);
                    if (token.IsCancellationRequested)
                    {
                        progress.Clear();
                        var stopped = new TrainingPosition(epoch - 1, batch, lossSum, seen, history, rng.GetState());
                        Save(stopped, epochStart);
                        return (stopped, true);
                    }
                }
            }

            progress.Clear();
            double seconds = watch.Elapsed.TotalSeconds;
            // Without --monitor the training cost is the mean over the epoch's mini-batches (the network changing as it
            // goes) plus the L2 term, so it compares with the evaluation cost; --monitor measures it after the epoch.
            (double trainCost, double trainAccuracy) = train is null
                ? ((lossSum / seen) + Network.L2Term(network, options.Lambda, loader.ExampleCount), double.NaN)
                : Network.Evaluate(network, train, options.Loss, options.Lambda);
            (double evalCost, double evalAccuracy) = Network.Evaluate(network, evaluation, options.Loss, options.Lambda);
            var result = new EpochResult(epoch, trainCost, trainAccuracy, evalCost, evalAccuracy, seconds, seen / seconds);
            history.Add(result);
            report(result);
            schedule.Step();
            Save(new TrainingPosition(epoch, 0, 0, 0, history), rng.GetState());
        }

        return (new TrainingPosition(options.Epochs, 0, 0, 0, history), false);
    }

    /// <summary>Loads a checkpoint written by this class into the network, optimizer and generator.</summary>
    /// <exception cref="System.IO.IOException">The file is not a checkpoint of this run (different network, optimizer or hyper-parameters).</exception>
    public TrainingPosition Resume(string path)
    {
        int completed = IO.TrainingCheckpoint.Load(path, network, optimizer, rng, out IReadOnlyDictionary<string, string> extra);
        CheckpointState.RequireSameOptions(path, extra, options);
        return CheckpointState.Read(completed, extra);
    }

    private void Save(TrainingPosition position, RngState generator)
    {
        if (checkpointPath is null)
        {
            return;
        }

        var snapshot = new Rng(0);
        snapshot.SetState(generator);
        IO.TrainingCheckpoint.Save(checkpointPath, network, optimizer, position.CompletedEpochs, snapshot, CheckpointState.Write(position, options));
    }
}
