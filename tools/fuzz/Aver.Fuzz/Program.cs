using Aver.Fuzz;
using SharpFuzz;

// aver-fuzz TARGET: runs one parser under AFL (SharpFuzz out-of-process); aver-fuzz TARGET FILE...: runs
// the inputs once each and prints what each one raised (to reproduce a crash AFL saved).
if (args.Length == 0 || !Targets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Aver.Fuzz TARGET [FILE...]   targets: {string.Join(", ", Targets.All.Keys)}");
    return 2;
}
if (args.Length > 1)
{
    int crashes = 0;
    foreach (var file in args.Skip(1))
    {
        try { target(File.ReadAllBytes(file)); Console.WriteLine($"{file}: ok"); }
        catch (Exception e) { crashes++; Console.WriteLine($"{file}: {e.GetType().FullName}: {e.Message}\n{e.StackTrace}"); }
    }
    return crashes == 0 ? 0 : 1;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
