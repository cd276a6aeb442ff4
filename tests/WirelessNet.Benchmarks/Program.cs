using BenchmarkDotNet.Running;

namespace WirelessNet.Benchmarks;

public static class Program
{
    // dotnet run -c Release --project tests/WirelessNet.Benchmarks -- --filter '*'   (see docs/PERFORMANCE.md)
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
