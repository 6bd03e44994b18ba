using System;
using Xunit;

namespace MiniNet.Tests.Infrastructure;

/// <summary>
/// A long-running test kept out of the default suite: it reports as skipped unless the environment variable
/// <c>MININET_SOAK=1</c> is set (run with <c>MININET_SOAK=1 dotnet test --filter Category=Soak</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SoakFactAttribute : FactAttribute
{
    public SoakFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("MININET_SOAK") != "1")
        {
            Skip = "Soak test: set MININET_SOAK=1 to run it (minutes long, so not in the default suite).";
        }
    }
}
