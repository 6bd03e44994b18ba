// Trains XOR with the MiniNet package and exits 0 only if all four points are classified and the loss is small.
using System;
using MiniNet;
using MiniNet.NN;
using MiniNet.Optim;

var rng = new Rng(seed: 7);
var net = new Sequential(new Linear(2, 8, rng), new Tanh(), new Linear(8, 1, rng));
var x = Tensor.FromArray(new[] { 0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f }, 4, 2);
var y = Tensor.FromArray(new[] { 0f, 1f, 1f, 0f }, 4, 1);
var optimizer = new Adam(net.Parameters(), learningRate: 0.05);

float loss = float.NaN;
for (int step = 0; step < 2000; step++)
{
    optimizer.ZeroGrad();
    Tensor<float> l = net.Forward(x).BinaryCrossEntropyWithLogits(y, Reduction.Mean);
    l.Backward();
    optimizer.Step();
    loss = l.Item();
}

float[] logits;
using (Autograd.NoGrad())
{
    logits = net.Eval().Forward(x).ToArray();
}

int correct = 0;
for (int i = 0; i < 4; i++)
{
    correct += (logits[i] > 0 ? 1f : 0f) == y[i, 0] ? 1 : 0;
}

Console.WriteLine($"MiniNet {typeof(Tensor).Assembly.GetName().Version} from {typeof(Tensor).Assembly.Location}");
Console.WriteLine($"XOR: loss {loss:G4}, {correct}/4 correct, logits [{string.Join(", ", logits)}]");
bool ok = correct == 4 && loss < 0.01f;
Console.WriteLine(ok ? "XOR OK" : "XOR FAILED");
return ok ? 0 : 1;
