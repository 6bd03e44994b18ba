using System;
using System.Diagnostics;

namespace MiniNet.Samples.Mnist;

/// <summary>A one-line progress bar redrawn in place with '\r', at most ten times a second.</summary>
internal sealed class ProgressBar
{
    private const int Width = 30;
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private readonly string _label;
    private readonly int _total;
    private readonly bool _enabled = !Console.IsOutputRedirected;

    public ProgressBar(string label, int total) => (_label, _total) = (label, total);

    public void Report(int done, double runningLoss)
    {
        if (!_enabled || (done < _total && _sinceDraw.ElapsedMilliseconds < 100))
        {
            return;
        }

        _sinceDraw.Restart();
        int filled = _total == 0 ? Width : (int)((long)done * Width / _total);
        Console.Write($"\r{_label} [{new string('#', filled)}{new string('.', Width - filled)}] {done,6}/{_total} loss {runningLoss:F4}");
    }

    public void Clear()
    {
        if (_enabled)
        {
            Console.Write('\r' + new string(' ', _label.Length + Width + 40) + '\r');
        }
    }
}
