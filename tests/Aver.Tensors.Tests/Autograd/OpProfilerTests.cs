using System.Globalization;

namespace Aver.Tensors.Tests.Autograd;

/// <summary>AVER_PROFILE's table: wall and process CPU time per op, forward and backward, and how busy the threads were.</summary>
public sealed class OpProfilerTests
{
    [Fact]
    public void Each_op_gets_its_wall_and_cpu_time_and_the_table_sums_them()
    {
        bool was = OpProfiler.Enabled;
        int threads = Engine.Threads;
        try
        {
            OpProfiler.Enabled = true;
            Engine.Threads = 2;
            OpProfiler.Reset();
            var rng = new RandomStream(3);
            var x = Tensor.Normal(rng, 0, 1, 8, 16, 32, 32).RequireGrad();
            var w = Tensor.Normal(rng, 0, 0.1f, 16, 16, 3, 3).RequireGrad();
            OpProfiler.Mark();
            x.Conv2d(w, padding: 1).Relu().Sum().Backward();
            var report = new StringWriter();
            OpProfiler.Report(report);
            var lines = report.ToString().Split('\n');

            // op, wall ms, calls, share, cpu ms, busy
            double[] Row(string op)
            {
                var cells = lines.Single(l => l.StartsWith(op + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return [double.Parse(cells[^5], CultureInfo.InvariantCulture), double.Parse(cells[^4], CultureInfo.InvariantCulture), double.Parse(cells[^2], CultureInfo.InvariantCulture)];
            }
            foreach (var op in new[] { "Conv2d", "Conv2d.backward", "Relu", "Relu.backward", "Sum" })
            {
                var (wall, calls, cpu) = (Row(op)[0], Row(op)[1], Row(op)[2]);
                Assert.Equal(1, calls);
                Assert.True(wall >= 0 && cpu >= 0, op);
            }
            // The convolution does real work on both threads: CPU time above zero, and no more than the two threads' wall time allows (with slack for clock granularity).
            var (convWall, _, convCpu) = (Row("Conv2d.backward")[0], 0, Row("Conv2d.backward")[2]);
            Assert.True(convCpu > 0 && convCpu <= 2 * convWall + 5, $"cpu {convCpu} ms against wall {convWall} ms");
            var all = lines.Single(l => l.StartsWith("all ops", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            double total = double.Parse(all[2], CultureInfo.InvariantCulture);
            double sum = new[] { "Conv2d", "Conv2d.backward", "Relu", "Relu.backward", "Sum", "Sum.backward" }
                .Where(op => lines.Any(l => l.StartsWith(op + " ", StringComparison.Ordinal))).Sum(op => Row(op)[0]);
            Assert.Equal(sum, total, 0.5);
        }
        finally
        {
            OpProfiler.Enabled = was;
            Engine.Threads = threads;
            OpProfiler.Reset();
        }
    }
}
