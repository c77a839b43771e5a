using BenchmarkDotNet.Running;

// Pick benchmarks on the command line, e.g. --filter *Engine* --job short; add new classes anywhere in this assembly.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
