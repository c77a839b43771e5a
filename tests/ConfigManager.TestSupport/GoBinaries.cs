namespace ConfigManager.TestSupport;

/// <summary>Paths of the Go binaries built by <see cref="GoBuild"/>.</summary>
/// <param name="TestPlugin">The Go test plugin (go-plugin v1.0.1 server, contract in docs/plugins.md).</param>
/// <param name="GoHost">The Go host (go-plugin v1.0.1 client); flags in perf/README.md.</param>
public sealed record GoBinaries(string TestPlugin, string GoHost);
