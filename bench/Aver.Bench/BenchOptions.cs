namespace Aver.Bench;

/// <summary>Command line of the benchmark: the bench name, <c>--threads N</c> (default 2) and <c>--seconds S</c> (default 10).</summary>
internal sealed record BenchOptions(string Bench, int Threads, double Seconds)
{
    public static BenchOptions? Parse(string[] args)
    {
        if (args.Length == 0 || args.Length % 2 == 0) return null;
        int threads = 2;
        double seconds = 10;
        for (int i = 1; i < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--threads": threads = int.Parse(args[i + 1]); break;
                case "--seconds": seconds = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                default: return null;
            }
        }
        return new BenchOptions(args[0], threads, seconds);
    }
}
