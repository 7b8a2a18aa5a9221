// Side-by-side benchmarks against PyTorch; see bench/README.md for what each measures and how to run it.
Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Aver.Bench -- BENCHMARK [options]  (see bench/README.md)");
return 2;
